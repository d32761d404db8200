// Must stay the first import: it patches the DOM before antd can create a <style> element.
import { nonce } from './csp-nonce';
import './zod-config';
import 'antd/dist/reset.css';
import './app/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { AppRoot } from './app/app-root';
import { createAppI18n } from './app/i18n';
import { createQueryClient } from './app/query-client';
import { routes } from './app/routes';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <AppRoot
      nonce={nonce}
      i18n={createAppI18n()}
      queryClient={createQueryClient()}
      router={createBrowserRouter(routes)}
    />
  </StrictMode>,
);
