import { z } from 'zod';

// zod probes for eval support with `Function('')` to compile fast parsers. Under `script-src 'self'`
// the probe fails safely but each attempt is reported as a CSP violation; jitless skips the probe.
z.config({ jitless: true });
