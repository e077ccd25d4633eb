// Español: one file a screen, each typed against its twin in ../en.
import type { MessageSchema } from '../en'
import { common } from './common'
import { desk } from './desk'
import { monitor } from './monitor'
import { reports } from './reports'
import { settings } from './settings'
import { bots } from './bots'
import { channels } from './channels'
import { calls } from './calls'

export const es: MessageSchema = { ...common, ...desk, ...monitor, ...reports, ...settings, ...bots, ...channels, ...calls }
