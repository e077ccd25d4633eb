// English, the reference language: one file a screen (common, desk, monitor,
// reports, settings, bots, channels, calls). es/ and pt-BR/ mirror these files,
// each typed against its twin here, so a missing key fails the type check.
import { common } from './common'
import { desk } from './desk'
import { monitor } from './monitor'
import { reports } from './reports'
import { settings } from './settings'
import { bots } from './bots'
import { channels } from './channels'
import { calls } from './calls'

export const en = { ...common, ...desk, ...monitor, ...reports, ...settings, ...bots, ...channels, ...calls }

export type MessageSchema = typeof en
