import type { RouteObject } from 'react-router';
import { ApprovalsPage } from '../pages/access/approvals-page';
import { DataClassificationPage } from '../pages/access/data-classification-page';
import { AuditPage } from '../pages/audit/audit-page';
import { SmsOutboxPage } from '../pages/dev/sms-outbox-page';
import { EnrolPage } from '../pages/enrol/enrol-page';
import { NotFoundPage } from '../pages/errors/not-found-page';
import { RouteErrorPage } from '../pages/errors/route-error-page';
import { HomePage } from '../pages/home/home-page';
import { ExpiryPage } from '../pages/master-data/expiry-page';
import { PartiesPage } from '../pages/master-data/parties-page';
import { PartyPage } from '../pages/master-data/party-page';
import { ProductPage } from '../pages/master-data/product-page';
import { ProductsPage } from '../pages/master-data/products-page';
import { ReviewPage } from '../pages/master-data/review-page';
import { TradeCheckPage } from '../pages/master-data/trade-check-page';
import { WarehousesPage } from '../pages/master-data/warehouses-page';
import { MdImportPage } from '../pages/master-data/import-page';
import { ClimatePage } from '../pages/inventory/climate-page';
import { StockPage } from '../pages/inventory/stock-page';
import { MaintenancePage } from '../pages/inventory/maintenance-page';
import { StocktakePage } from '../pages/inventory/stocktake-page';
import { StocktakesPage } from '../pages/inventory/stocktakes-page';
import { LoginPage } from '../pages/login/login-page';
import { AcceptancePage } from '../pages/procurement/acceptance-page';
import { PurchaseOrderPage } from '../pages/procurement/order-page';
import { PurchaseOrdersPage } from '../pages/procurement/orders-page';
import { ExpiredPasswordPage } from '../pages/password/expired-password-page';
import { SalesOrderPage } from '../pages/sales/order-page';
import { SalesOrdersPage } from '../pages/sales/orders-page';
import { NewReturnPage } from '../pages/sales/return-new-page';
import { ReturnPage } from '../pages/sales/return-page';
import { ReviewPage as OutboundReviewPage } from '../pages/sales/review-page';
import { DeliverySlipPage } from '../pages/sales/slip-page';
import { SetPasswordPage } from '../pages/password/set-password-page';
import { SecurityPage } from '../pages/security/security-page';
import { SetupPage } from '../pages/setup/setup-page';
import { AssignmentsPage } from '../pages/training/assignments-page';
import { CertificatesPage } from '../pages/training/certificates-page';
import { CoursePage } from '../pages/training/course-page';
import { TrainingReportPage } from '../pages/training/report-page';
import { TrainingPage } from '../pages/training/training-page';
import { UndertakingPage } from '../pages/training/undertaking-page';
import { UsersPage } from '../pages/users/users-page';
import { LedgersPage } from '../pages/gsp/ledgers-page';
import { CustomerReturnsPage } from '../pages/sales/customer-returns-page';
import { DisposalsPage } from '../pages/sales/disposals-page';
import { SupplierReturnsPage } from '../pages/sales/supplier-returns-page';
import { UsageListPage } from '../pages/clinical/usage-list-page';
import { UsageRecordPage } from '../pages/clinical/usage-record-page';
import { BreakGlassPage, MyBreakGlassPage } from '../pages/clinical/break-glass-page';
import { BreakGlassReviewsPage } from '../pages/clinical/break-glass-reviews-page';
import { MainLayout } from './layout/main-layout';
import { RequireSession } from './session';

/**
 * All routes. Everything under the main layout needs a session; /login, /setup, /enrol-totp,
 * /set-password and /change-password (the steps before the session is complete) do not.
 */
export const routes: RouteObject[] = [
  {
    errorElement: <RouteErrorPage />,
    children: [
      { path: '/login', element: <LoginPage /> },
      { path: '/setup', element: <SetupPage /> },
      { path: '/enrol-totp', element: <EnrolPage /> },
      { path: '/set-password', element: <SetPasswordPage /> },
      { path: '/change-password', element: <ExpiredPasswordPage /> },
      {
        element: <RequireSession />,
        children: [
          {
            element: <MainLayout />,
            children: [
              { index: true, element: <HomePage /> },
              { path: '/audit', element: <AuditPage /> },
              { path: '/security', element: <SecurityPage /> },
              { path: '/users', element: <UsersPage /> },
              { path: '/access/approvals', element: <ApprovalsPage /> },
              { path: '/access/data-classification', element: <DataClassificationPage /> },
              { path: '/dev/sms-outbox', element: <SmsOutboxPage /> },
              { path: '/training', element: <TrainingPage /> },
              { path: '/training/courses/:code', element: <CoursePage /> },
              { path: '/training/certificates', element: <CertificatesPage /> },
              { path: '/training/undertaking', element: <UndertakingPage /> },
              { path: '/training/report', element: <TrainingReportPage /> },
              { path: '/training/assignments', element: <AssignmentsPage /> },
              { path: '/master-data/parties', element: <PartiesPage /> },
              { path: '/master-data/parties/:id', element: <PartyPage /> },
              { path: '/master-data/products', element: <ProductsPage /> },
              { path: '/master-data/products/:id', element: <ProductPage /> },
              { path: '/master-data/review', element: <ReviewPage /> },
              { path: '/master-data/expiry', element: <ExpiryPage /> },
              { path: '/master-data/trade-check', element: <TradeCheckPage /> },
              { path: '/master-data/warehouses', element: <WarehousesPage /> },
              { path: '/master-data/import', element: <MdImportPage /> },
              { path: '/procurement', element: <PurchaseOrdersPage /> },
              { path: '/procurement/orders/:id', element: <PurchaseOrderPage /> },
              { path: '/procurement/acceptances/:id', element: <AcceptancePage /> },
              { path: '/sales', element: <SalesOrdersPage /> },
              { path: '/sales/orders/:id', element: <SalesOrderPage /> },
              { path: '/sales/orders/:id/review', element: <OutboundReviewPage /> },
              { path: '/sales/orders/:id/slip', element: <DeliverySlipPage /> },
              { path: '/sales/returns/new', element: <NewReturnPage /> },
              { path: '/sales/returns/:id', element: <ReturnPage /> },
              { path: '/inventory', element: <StockPage /> },
              { path: '/inventory/climate', element: <ClimatePage /> },
              { path: '/inventory/stocktakes', element: <StocktakesPage /> },
              { path: '/inventory/stocktakes/:id', element: <StocktakePage /> },
              { path: '/inventory/maintenance', element: <MaintenancePage /> },
              { path: '/gsp/ledgers', element: <LedgersPage /> },
              { path: '/sales/returns', element: <CustomerReturnsPage /> },
              { path: '/sales/supplier-returns', element: <SupplierReturnsPage /> },
              { path: '/sales/disposals', element: <DisposalsPage /> },
              { path: '/clinical', element: <UsageListPage /> },
              { path: '/clinical/usage/:id', element: <UsageRecordPage /> },
              { path: '/clinical/break-glass', element: <MyBreakGlassPage /> },
              { path: '/clinical/break-glass/reviews', element: <BreakGlassReviewsPage /> },
              { path: '/clinical/break-glass/:id', element: <BreakGlassPage /> },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
