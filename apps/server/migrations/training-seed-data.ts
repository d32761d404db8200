/**
 * The courses and the confidentiality undertaking every installation starts with (TRN-01). Frozen
 * with the migration that inserts them: later changes are new course versions, never edits here.
 * Bodies are plain paragraphs separated by blank lines; a line starting with `## ` is a heading.
 */

export type SeedQuestion = {
  id: string;
  kind: 'single' | 'multiple';
  promptZh: string;
  promptEn: string;
  options: { id: string; textZh: string; textEn: string }[];
  /** Option ids that are correct; stored server-side only. */
  correct: string[];
};

export type SeedCourse = {
  code: string;
  version: number;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  passMark: number;
  validityMonths: number;
  questions: SeedQuestion[];
};

const opt = (id: string, textZh: string, textEn: string) => ({ id, textZh, textEn });

export const SECURITY_BASICS: SeedCourse = {
  code: 'security-basics',
  version: 1,
  titleZh: 'MedLedger 信息安全七项基本实践',
  titleEn: 'The seven security practices of MedLedger',
  passMark: 80,
  validityMonths: 12,
  bodyZh: `本课程面向医院设备科、临床科室以及医疗器械经营企业的全体员工。MedLedger 保存的是受法规监管的业务记录：供应商资质、验收、出入库、UDI 追溯、召回和临床使用记录，其中部分含有患者个人信息。系统在技术上做了很多防护，但每一位使用者的日常习惯同样决定着数据是否安全。请认真阅读以下七项实践，然后完成测验（80 分及格，证书有效期一年）。

## 一、强身份认证与多因素认证

每个账号只属于一个人，禁止共用账号或把密码告诉同事、厂家代表或 IT 外包人员。MedLedger 要求每位用户在密码之外再使用第二个因素：手机上的身份验证器应用（6 位动态验证码）或通行密钥（Passkey）。验证码每 30 秒变化一次，而且只能使用一次。

密码应当长而独特：推荐用几个不相关的词组成的口令，不要在其他网站重复使用。系统会拒绝常见密码和包含账号、手机号的密码。连续输错会暂时锁定账号。签发账号、更改权限、电子签名等敏感操作前，系统会要求您再次输入验证码，这是为了确认操作者确实是您本人。

恢复码要离线妥善保管（例如锁在抽屉里），不要拍照发到聊天群。任何人（包括自称系统管理员或厂家工程师的人）向您索要验证码或恢复码，都一定是诈骗。

## 二、传输与存储加密

MedLedger 只通过 HTTPS（TLS 1.2 及以上）访问。如果浏览器提示证书错误，请不要点击“继续访问”，而应立即联系安全管理员：这可能意味着有人在拦截通信。

手机号、身份证号等敏感字段在数据库中使用 AES-256-GCM 加密保存，列表中默认脱敏显示（如 138****5678）。备份文件同样加密。加密只保护系统内的数据：一旦您把数据导出、打印或截图，这份副本就由您负责保护。不要把导出文件存放在个人网盘、U 盘或个人电脑上。

## 三、漏洞扫描与及时修补

系统的依赖组件会定期进行漏洞扫描，发现高危漏洞会在规定时限内修补。您能做的是：保持浏览器和操作系统为最新版本，不安装来源不明的浏览器插件，不在工作电脑上运行来历不明的程序。

如果您发现系统行为异常（例如页面内容被篡改、出现陌生的弹窗、数据莫名变化），请截取时间和页面地址（不含患者信息）后报告安全管理员，不要自行“测试”漏洞。

## 四、审计日志

您在系统中的登录、查看敏感字段、修改记录、电子签名和被拒绝的操作都会写入审计日志。审计日志是只追加的，并通过哈希链防篡改，任何人（包括系统管理员）都无法悄悄修改或删除。

这意味着：请只查看工作需要的数据；所有记录都以您本人的身份和服务器时间留痕，符合 GSP 对记录真实、完整、可追溯的要求。业务记录不会被物理删除，错误通过冲销单据或审批后的更正来处理，原始记录始终保留。

## 五、第三方接口安全

MedLedger 与 HIS、SPD、医保平台、UDI 数据库等第三方系统的接口使用签名请求和白名单，每个接口只获得最小权限。接口密钥属于机密，不得通过邮件、聊天工具发送，也不得写入文档或截图。

如需新增对接，请通过安全管理员申请，不要私自把账号交给第三方软件“代为登录”。不要把系统中的数据粘贴到未经批准的外部网站、翻译工具或人工智能对话工具中。

## 六、安全意识与防范钓鱼

钓鱼邮件和短信常冒充领导、供应商、药监部门或 IT 部门，制造紧迫感（“账号即将停用，请立即验证”）。收到要求登录、付款或提供验证码的消息时，请通过已知的电话号码另行核实。

只在浏览器地址栏确认是本单位 MedLedger 地址后才输入密码。从新设备登录时系统会通知您；如果不是您本人操作，请立即修改密码并报告。离开电脑时锁屏，下班时退出登录。

## 七、个人信息保护与医疗器械法规义务

《个人信息保护法》规定医疗健康信息属于敏感个人信息，处理时必须具有特定目的和充分必要性，并采取严格保护措施。只收集和查看工作必需的最少信息；未经授权不得向任何人提供患者信息。

《医疗器械监督管理条例》和《医疗器械经营质量管理规范》（GSP）要求进货查验、销售、贮存和追溯记录真实、完整、可追溯，并按规定期限保存（例如植入类医疗器械的进货查验和销售记录须永久保存）。伪造、篡改记录或冒用他人账号签字，不仅违反单位制度，也可能承担法律责任。

发现个人信息泄露、丢失或被篡改，或者怀疑账号被盗用，请立即报告安全管理员：单位需要及时采取补救措施，并依法通知监管部门和受影响的个人。`,
  bodyEn: `This course is for everyone who works with MedLedger: hospital device departments, clinical wards and medical-device distributors. MedLedger keeps regulated business records: supplier qualifications, acceptance, stock movements, UDI traceability, recalls and clinical usage records, some of which hold patients' personal information. The system has many technical safeguards, but the daily habits of every user decide just as much whether the data stays safe. Read the seven practices below, then take the quiz (pass mark 80%; the certificate is valid for one year).

## 1. Strong authentication and multi-factor authentication

Each account belongs to one person. Never share an account or tell your password to a colleague, a manufacturer's representative or outsourced IT staff. MedLedger requires a second factor on top of the password for everyone: an authenticator app on your phone (6-digit codes) or a passkey. A code changes every 30 seconds and can be used only once.

Use a long, unique password: several unrelated words make a good passphrase. Never reuse it on other sites. The system refuses common passwords and passwords containing your login or phone number, and repeated wrong attempts lock the account for a while. Before sensitive actions (issuing accounts, changing access, electronic signatures) you are asked for a code again, to confirm that it really is you.

Keep your recovery codes offline and safe (for example in a locked drawer); never photograph them or post them in a chat group. Anyone who asks you for a code or a recovery code, including someone claiming to be a system administrator or a vendor engineer, is a fraudster.

## 2. Encrypted transport and storage

MedLedger is only reachable over HTTPS (TLS 1.2 or later). If the browser warns about the certificate, do not click "proceed anyway": contact the security administrator at once, because someone may be intercepting the connection.

Sensitive fields such as phone and ID numbers are stored encrypted with AES-256-GCM and shown masked in lists (for example 138****5678). Backups are encrypted too. Encryption only protects data inside the system: once you export, print or screenshot data, protecting that copy is your responsibility. Never keep exports on personal cloud drives, USB sticks or personal computers.

## 3. Vulnerability scanning and timely patching

The components of the system are scanned for known vulnerabilities regularly, and serious ones are fixed within set deadlines. Your part: keep your browser and operating system up to date, install no browser extensions of unknown origin, and run no unknown programs on work computers.

If the system behaves strangely (altered page content, unexpected pop-ups, data that changes by itself), note the time and the page address (without patient data) and report it to the security administrator. Do not "test" a suspected weakness yourself.

## 4. Audit logging

Your sign-ins, views of sensitive fields, changes, electronic signatures and refused actions are written to the audit trail. The trail is append-only and protected by a hash chain, so nobody, not even a system administrator, can quietly change or delete it.

So look only at the data your work needs. Every record carries your identity and the server's time, as GSP requires for truthful, complete and traceable records. Business records are never physically deleted: mistakes are corrected with reversal documents or approved corrections, and the original is always kept.

## 5. Third-party interface safety

MedLedger's interfaces to HIS, SPD, medical-insurance platforms and the UDI database use signed requests and allowlists, and each interface gets only the access it needs. Interface keys are secrets: never send them by e-mail or chat, and never put them in documents or screenshots.

Request new integrations through the security administrator. Never hand your account to third-party software to "log in for you", and never paste data from the system into unapproved websites, translation tools or AI chat tools.

## 6. Security awareness and phishing

Phishing e-mails and text messages often pretend to come from managers, suppliers, the regulator or the IT department, and create urgency ("your account will be disabled, verify now"). When a message asks you to sign in, pay or give a code, check it by calling a number you already know.

Enter your password only after checking that the address bar shows your organisation's MedLedger address. The system tells you about sign-ins from a new device; if it was not you, change your password and report it at once. Lock the screen when you leave the computer and sign out at the end of the day.

## 7. PIPL and medical-device regulation duties

Under the Personal Information Protection Law (PIPL), medical and health information is sensitive personal information: it may be processed only for a specific purpose, when sufficiently necessary, and with strict protection. Collect and view only the minimum your work needs, and never give patient information to anyone without authorisation.

The Regulations on the Supervision and Administration of Medical Devices and the medical-device GSP require purchase-inspection, sales, storage and traceability records to be truthful, complete and traceable, and kept for the required periods (for example, purchase-inspection and sales records of implantable devices are kept permanently). Falsifying or altering records, or signing with someone else's account, breaks company rules and can carry legal liability.

If personal information is leaked, lost or altered, or you suspect your account has been misused, report it to the security administrator immediately: the organisation must take remedial measures in time and notify the regulator and the people affected as the law requires.`,
  questions: [
    {
      id: 'sb1-q01',
      kind: 'single',
      promptZh: '一位自称系统工程师的人打电话，请您把身份验证器上的验证码告诉他以便“修复账号”。您应该怎么做？',
      promptEn:
        'Someone who says they are a system engineer calls and asks for your authenticator code to "fix your account". What do you do?',
      options: [
        opt('a', '告诉他验证码，因为他是工程师', 'Give the code, since they are an engineer'),
        opt('b', '拒绝提供，并向安全管理员报告', 'Refuse and report it to the security administrator'),
        opt('c', '先把恢复码发给他，更安全', 'Send a recovery code instead, it is safer'),
      ],
      correct: ['b'],
    },
    {
      id: 'sb1-q02',
      kind: 'multiple',
      promptZh: 'MedLedger 接受哪些作为密码之外的第二个认证因素？（多选）',
      promptEn: 'Which second factors does MedLedger accept on top of the password? (choose all that apply)',
      options: [
        opt('a', '身份验证器应用的 6 位动态验证码', 'A 6-digit code from an authenticator app'),
        opt('b', '通行密钥（Passkey）', 'A passkey'),
        opt('c', '同事代为登录', 'A colleague signing in for you'),
        opt('d', '写在便签上的第二个密码', 'A second password written on a sticky note'),
      ],
      correct: ['a', 'b'],
    },
    {
      id: 'sb1-q03',
      kind: 'single',
      promptZh: '打开 MedLedger 时浏览器提示证书错误，正确的做法是：',
      promptEn: 'The browser shows a certificate error when you open MedLedger. The right response is:',
      options: [
        opt('a', '点击“继续访问”，反正是内网', 'Click "proceed anyway", it is the internal network'),
        opt('b', '换一个浏览器再试', 'Try another browser'),
        opt('c', '不要继续，立即联系安全管理员', 'Do not proceed; contact the security administrator at once'),
      ],
      correct: ['c'],
    },
    {
      id: 'sb1-q04',
      kind: 'single',
      promptZh: '您把含有患者信息的报表导出到电脑后，这份文件：',
      promptEn: 'After you export a report containing patient information, the exported file:',
      options: [
        opt('a', '仍由系统加密保护，无需担心', 'Is still protected by the system encryption'),
        opt(
          'b',
          '由您负责保护，不得存放在个人网盘或 U 盘',
          'Is yours to protect; never keep it on personal cloud drives or USB sticks',
        ),
        opt('c', '可以发到微信群方便同事查看', 'May be posted to a chat group for colleagues'),
      ],
      correct: ['b'],
    },
    {
      id: 'sb1-q05',
      kind: 'single',
      promptZh: '发现系统页面出现陌生弹窗、数据莫名变化时，应当：',
      promptEn: 'The system shows unexpected pop-ups and data changes by itself. You should:',
      options: [
        opt('a', '自己尝试重现并测试漏洞', 'Try to reproduce it and test the weakness yourself'),
        opt(
          'b',
          '记录时间和页面地址（不含患者信息）并报告安全管理员',
          'Note the time and page address (without patient data) and report it to the security administrator',
        ),
        opt('c', '忽略，下次登录可能就好了', 'Ignore it; it may be gone next time'),
      ],
      correct: ['b'],
    },
    {
      id: 'sb1-q06',
      kind: 'multiple',
      promptZh: '关于 MedLedger 的审计日志，哪些说法正确？（多选）',
      promptEn: "Which statements about MedLedger's audit trail are true? (choose all that apply)",
      options: [
        opt('a', '只追加，并通过哈希链防篡改', 'It is append-only and protected by a hash chain'),
        opt('b', '系统管理员可以删除不需要的日志', 'A system administrator may delete unwanted entries'),
        opt(
          'c',
          '查看敏感字段和被拒绝的操作也会留痕',
          'Views of sensitive fields and refused actions are recorded too',
        ),
        opt('d', '记录的时间以用户电脑时间为准', "Times are taken from the user's computer"),
      ],
      correct: ['a', 'c'],
    },
    {
      id: 'sb1-q07',
      kind: 'single',
      promptZh: '业务记录录入错误时，正确的处理方式是：',
      promptEn: 'A business record was entered wrongly. The right way to fix it is:',
      options: [
        opt('a', '请管理员直接在数据库中删除', 'Ask an administrator to delete it in the database'),
        opt(
          'b',
          '通过冲销单据或审批后的更正处理，原始记录保留',
          'A reversal document or an approved correction, keeping the original',
        ),
        opt('c', '用同事的账号重新录入一遍', "Enter it again with a colleague's account"),
      ],
      correct: ['b'],
    },
    {
      id: 'sb1-q08',
      kind: 'multiple',
      promptZh: '关于第三方接口和外部工具，哪些做法是正确的？（多选）',
      promptEn: 'Which practices about third-party interfaces and outside tools are right? (choose all that apply)',
      options: [
        opt('a', '新增对接通过安全管理员申请', 'Request new integrations through the security administrator'),
        opt('b', '把接口密钥通过聊天工具发给厂家', 'Send the interface key to the vendor by chat'),
        opt(
          'c',
          '不把系统数据粘贴到未经批准的外部网站或人工智能工具',
          'Never paste system data into unapproved websites or AI tools',
        ),
        opt(
          'd',
          '让第三方软件保存您的账号密码代为登录',
          'Let third-party software keep your password and sign in for you',
        ),
      ],
      correct: ['a', 'c'],
    },
    {
      id: 'sb1-q09',
      kind: 'single',
      promptZh: '收到“账号即将停用，请点击链接立即验证”的短信，应当：',
      promptEn: 'A text message says "your account will be disabled, click the link to verify now". You should:',
      options: [
        opt('a', '立即点击链接并登录', 'Click the link and sign in at once'),
        opt(
          'b',
          '通过已知的电话号码另行核实，不点击链接',
          'Check by calling a number you already know; do not click the link',
        ),
        opt('c', '转发给同事，让他们也验证', 'Forward it to colleagues so they verify too'),
      ],
      correct: ['b'],
    },
    {
      id: 'sb1-q10',
      kind: 'single',
      promptZh: '根据《个人信息保护法》，患者的医疗健康信息属于：',
      promptEn: "Under PIPL, a patient's medical and health information is:",
      options: [
        opt('a', '公开信息，可以随意使用', 'Public information that may be used freely'),
        opt(
          'b',
          '敏感个人信息，须有特定目的和充分必要性并严格保护',
          'Sensitive personal information: specific purpose, sufficient necessity and strict protection',
        ),
        opt('c', '只要是本单位员工就可以查看', 'Viewable by anyone employed by the organisation'),
      ],
      correct: ['b'],
    },
  ],
};

export const PRIVACY_PIPL: SeedCourse = {
  code: 'privacy-pipl',
  version: 1,
  titleZh: '患者个人信息保护（个人信息保护法）',
  titleEn: 'Protecting patient personal information (PIPL)',
  passMark: 80,
  validityMonths: 12,
  bodyZh: `本课程面向需要接触患者信息的员工，例如处理手术跟台、植入器械追溯、临床使用记录和不良事件的人员。完成本课程并保持在有效期内，是获得患者数据相关权限的前提。

## 哪些是患者个人信息

姓名、身份证号、住院号、手机号、手术日期和植入器械的对应关系等，都属于可以识别特定患者的个人信息。医疗健康信息属于《个人信息保护法》规定的敏感个人信息，一旦泄露，可能导致患者人格尊严受到侵害或人身、财产安全受到危害。

## 最小必要

只在工作确实需要时查看患者信息，只查看完成任务所需的字段。系统默认脱敏显示，点击“显示”会被记录到审计日志中。不要出于好奇查询熟人、名人或同事的就诊信息：每一次查看都有记录，也会被审查。

## 不截图、不导出、不外传

不得对含有患者信息的页面截图或拍照，不得把患者信息复制到聊天工具、个人邮箱、个人电脑或 U 盘。确需导出时，必须获得授权，导出文件妥善保管并在用完后删除。打印件不得随意放置，废弃时应粉碎处理。向厂家、供应商或其他单位提供患者信息，必须有明确的依据和授权。

## 发现问题立即报告

如果发现患者信息可能已经泄露、丢失或被篡改（例如误发邮件、遗失打印件、账号被他人使用），请立即报告安全管理员，不要隐瞒或自行处理。单位须立即采取补救措施，并依法通知履行个人信息保护职责的部门和受影响的个人。及时报告可以减少对患者的伤害。`,
  bodyEn: `This course is for staff who work with patient information, for example surgical case support, traceability of implanted devices, clinical usage records and adverse events. Completing it, and keeping it current, is a condition for holding patient-data permissions.

## What patient personal information is

Names, ID numbers, inpatient numbers, phone numbers, and the link between a surgery date and an implanted device all identify a patient. Under the Personal Information Protection Law (PIPL), medical and health information is sensitive personal information: if it leaks, patients can suffer harm to their dignity, person or property.

## Minimum necessary

Look at patient information only when your work needs it, and only at the fields the task needs. The system masks these fields by default, and every "reveal" is written to the audit trail. Never look up acquaintances, public figures or colleagues out of curiosity: every view is recorded and reviewed.

## No screenshots, no exports, no sharing

Never screenshot or photograph pages with patient information, and never copy it into chat tools, personal e-mail, personal computers or USB sticks. An export needs authorisation; keep the file safe and delete it when done. Do not leave printouts lying around, and shred them when no longer needed. Giving patient information to a manufacturer, supplier or any other organisation needs a clear basis and authorisation.

## Report problems at once

If patient information may have been leaked, lost or altered (an e-mail sent to the wrong person, a lost printout, an account used by someone else), report it to the security administrator immediately; do not hide it or try to fix it yourself. The organisation must take remedial measures at once and notify the authority responsible for personal-information protection and the people affected as the law requires. Reporting early limits the harm to patients.`,
  questions: [
    {
      id: 'pp1-q01',
      kind: 'single',
      promptZh: '根据《个人信息保护法》，患者的医疗健康信息属于：',
      promptEn: "Under PIPL, patients' medical and health information is:",
      options: [
        opt('a', '一般个人信息', 'Ordinary personal information'),
        opt('b', '敏感个人信息', 'Sensitive personal information'),
        opt('c', '不属于个人信息', 'Not personal information at all'),
      ],
      correct: ['b'],
    },
    {
      id: 'pp1-q02',
      kind: 'single',
      promptZh: '处理植入器械追溯记录时，您应当查看：',
      promptEn: 'When handling an implant traceability record you should view:',
      options: [
        opt('a', '该患者的全部病历，以防万一', "The patient's whole medical record, just in case"),
        opt('b', '完成任务所需的最少字段', 'Only the fields the task needs'),
        opt('c', '同一天所有患者的信息', 'Every patient of the same day'),
      ],
      correct: ['b'],
    },
    {
      id: 'pp1-q03',
      kind: 'multiple',
      promptZh: '以下哪些做法是禁止的？（多选）',
      promptEn: 'Which of these are forbidden? (choose all that apply)',
      options: [
        opt('a', '对含有患者信息的页面截图发到工作群', 'Screenshotting a page with patient data into a work chat'),
        opt('b', '把患者名单复制到个人 U 盘带回家', 'Copying a patient list to a personal USB stick'),
        opt('c', '在系统中按工作需要查看脱敏后的记录', 'Viewing masked records in the system as your work needs'),
        opt('d', '出于好奇查询同事的就诊记录', "Looking up a colleague's treatment out of curiosity"),
      ],
      correct: ['a', 'b', 'd'],
    },
    {
      id: 'pp1-q04',
      kind: 'single',
      promptZh: '您不小心把含有患者信息的邮件发错了人，应当：',
      promptEn: 'You sent an e-mail with patient information to the wrong person. You should:',
      options: [
        opt('a', '请对方删除，不必告诉任何人', 'Ask them to delete it and tell nobody'),
        opt('b', '立即报告安全管理员', 'Report it to the security administrator immediately'),
        opt('c', '等一周看看有没有后果', 'Wait a week to see whether anything happens'),
      ],
      correct: ['b'],
    },
    {
      id: 'pp1-q05',
      kind: 'single',
      promptZh: '在系统中点击“显示”查看完整手机号时：',
      promptEn: 'When you click "reveal" to see a full phone number in the system:',
      options: [
        opt('a', '该操作会记录到审计日志', 'The action is written to the audit trail'),
        opt('b', '不会留下任何记录', 'Nothing is recorded'),
        opt('c', '号码会自动发送给厂家', 'The number is sent to the manufacturer'),
      ],
      correct: ['a'],
    },
    {
      id: 'pp1-q06',
      kind: 'multiple',
      promptZh: '处理含患者信息的打印件，正确的做法是：（多选）',
      promptEn: 'Which is right for printouts with patient information? (choose all that apply)',
      options: [
        opt('a', '不随意放置在公共区域', 'Never leave them in shared areas'),
        opt('b', '不再需要时粉碎处理', 'Shred them when no longer needed'),
        opt('c', '当作草稿纸反面使用', 'Reuse the back as scrap paper'),
      ],
      correct: ['a', 'b'],
    },
  ],
};

export const SEED_COURSES: readonly SeedCourse[] = [SECURITY_BASICS, PRIVACY_PIPL];

/** The confidentiality undertaking every member of staff signs electronically. */
export const UNDERTAKING_V1 = {
  version: '2026-1',
  textZh: `本人承诺：

1. 对工作中接触到的患者个人信息、供应商与客户资料、价格与合同信息以及系统账号、密码、密钥严格保密，在职期间及离职后均不向任何无权知悉的人披露。
2. 只为完成本职工作而查看和使用上述信息，遵守最小必要原则，不截图、不拍照、不私自导出或复制。
3. 不与他人共用账号，不把验证码、恢复码或通行密钥交给任何人。
4. 发现信息泄露、丢失、被篡改或账号异常时立即报告安全管理员。
5. 知悉违反本承诺可能承担的纪律责任和法律责任（包括《个人信息保护法》《网络安全法》规定的责任）。`,
  textEn: `I undertake:

1. To keep strictly confidential the patient personal information, supplier and customer data, prices and contract terms, and the system accounts, passwords and keys I come across in my work, and not to disclose them to anyone not entitled to know, during my employment and after it ends.
2. To view and use this information only to do my job and only to the minimum necessary; not to screenshot, photograph, export or copy it without authorisation.
3. Not to share my account, and never to give my codes, recovery codes or passkeys to anyone.
4. To report to the security administrator at once any leak, loss or alteration of information, or anything unusual with my account.
5. That breaking this undertaking may lead to disciplinary and legal liability (including under the Personal Information Protection Law and the Cybersecurity Law).`,
} as const;
