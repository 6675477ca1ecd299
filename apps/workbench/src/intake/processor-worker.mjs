// The entry of a submission worker thread. Worker threads do not inherit the main thread's tsx
// loader, so this plain-JavaScript file registers it before loading the TypeScript worker.
import { register } from 'tsx/esm/api'

register()
await import('./processor-worker.ts')
