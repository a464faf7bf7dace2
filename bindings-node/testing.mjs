// ESM entry of flarekit/testing: the same classes as the CommonJS entry (one module instance).
import testing from './testing.js'

export const { Emulator, demoSeed, ADMIN_TOKEN_NAME } = testing
