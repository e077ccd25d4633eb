// The flow editor's model: a bot's built-in flow (docs/bots.md) as an
// ordered list of steps the form edits, turned back into the flow JSON the
// server validates and runs. The server is the judge of a flow: its
// validator's problems come back with JSON paths (nodes.menu.options[1].next),
// which problemsOf files under the step and the field they point to.
import { api, ApiError } from '../../api/client'
import type { Bot } from '../../api/types'
import type { components } from '../../api/schema'

export const STEP_TYPES = ['message', 'question', 'menu', 'condition', 'handover', 'end'] as const
export type StepType = (typeof STEP_TYPES)[number]
export const CHECKS = ['text', 'email', 'phone', 'number', 'options'] as const
export const OPERATORS = ['equals', 'not_equals', 'contains', 'exists', 'greater_than', 'less_than'] as const

export interface StepOption {
  id: string
  label: string
  next: string
}

/** Step is one node of the flow with every field a type may carry; toFlow
 *  keeps those of its type only (the server refuses the others). */
export interface Step {
  /** key stays while the id is edited, for the list and the inputs' ids. */
  key: number
  id: string
  type: StepType
  text: string
  next: string
  attribute: string
  validate: string
  options: StepOption[]
  retry_text: string
  operator: string
  value: string
  then: string
  else: string
  team_id: string
  note: string
}

export interface FlowDraft {
  start: string
  steps: Step[]
}

/** The JSON fields of each step type, as the server's validator lists them. */
const FIELDS: Record<StepType, (keyof Step)[]> = {
  message: ['text', 'next'],
  question: ['text', 'attribute', 'validate', 'options', 'retry_text', 'next'],
  menu: ['text', 'options', 'retry_text'],
  condition: ['attribute', 'operator', 'value', 'then', 'else'],
  handover: ['team_id', 'note'],
  end: ['text'],
}

export function hasField(type: StepType, f: keyof Step): boolean {
  return FIELDS[type].includes(f)
}

let keys = 0

export function newStep(id: string, type: StepType = 'message'): Step {
  return {
    key: ++keys, id, type, text: '', next: '', attribute: '', validate: '', options: [], retry_text: '',
    operator: '', value: '', then: '', else: '', team_id: '', note: '',
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/** draftOfFlow reads a stored flow; anything unreadable is an empty draft. */
export function draftOfFlow(raw: unknown): FlowDraft {
  const f = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}
  const nodes = f.nodes && typeof f.nodes === 'object' ? (f.nodes as Record<string, Record<string, unknown>>) : {}
  const steps = Object.entries(nodes).map(([id, n]) => {
    const s = newStep(id, (STEP_TYPES as readonly string[]).includes(str(n?.type)) ? (n.type as StepType) : 'message')
    for (const k of ['text', 'next', 'attribute', 'validate', 'retry_text', 'operator', 'value', 'then', 'else', 'team_id', 'note'] as const) {
      s[k] = str(n?.[k])
    }
    const opts = Array.isArray(n?.options) ? n.options : []
    s.options = opts.map((o: unknown) =>
      typeof o === 'string' ? { id: '', label: o, next: '' } : { id: str((o as StepOption)?.id), label: str((o as StepOption)?.label), next: str((o as StepOption)?.next) },
    )
    return s
  })
  return { start: str(f.start), steps }
}

/** toFlow is the flow JSON of a draft: each step's own fields, empty optional ones left out. */
export function toFlow(d: FlowDraft): { start: string; nodes: Record<string, Record<string, unknown>> } {
  const nodes: Record<string, Record<string, unknown>> = {}
  for (const s of d.steps) {
    const n: Record<string, unknown> = { type: s.type }
    for (const f of FIELDS[s.type]) {
      if (f === 'options') {
        const menu = s.type === 'menu'
        if (!menu && s.validate !== 'options') continue
        n.options = s.options.map((o) => ({ ...(o.id ? { id: o.id } : {}), label: o.label, ...(menu ? { next: o.next } : {}) }))
      } else if (s[f] !== '') {
        n[f] = s[f]
      }
    }
    nodes[s.id] = n
  }
  return { start: d.start, nodes }
}

/** Problems by step key and field ("" is the step itself), plus those of no step. */
export interface Problems {
  steps: Record<number, Record<string, string>>
  /** start, or the flow as a whole. */
  flow: Record<string, string>
  /** first is the first problem's place, to focus. */
  first: { key: number | null; field: string } | null
}

export const noProblems = (): Problems => ({ steps: {}, flow: {}, first: null })

/** fieldKey names a field path the way the inputs' ids do: options[1].next → options-1-next. */
export function fieldKey(path: string): string {
  return path.replace(/[[\].]+/g, '-').replace(/-$/, '')
}

/**
 * place files one validator path: "nodes.<id>.<field>" under the step with
 * that id (its first, when ids repeat), "start" and the rest under the flow.
 */
function place(d: FlowDraft, path: string): { key: number | null; field: string } {
  const m = /^nodes\.([^.[]+)(?:\.(.*))?$/.exec(path)
  const step = m ? d.steps.find((s) => s.id === m[1]) : undefined
  if (step) return { key: step.key, field: fieldKey(m?.[2] ?? '') }
  return { key: null, field: path === 'start' ? 'start' : '' }
}

function add(p: Problems, at: { key: number | null; field: string }, message: string): void {
  if (at.key === null) p.flow[at.field] ??= message
  else (p.steps[at.key] ??= {})[at.field] ??= message
  p.first ??= at
}

/** localProblems is what the draft cannot say in JSON at all: steps without an id, or two with one id. */
export function localProblems(d: FlowDraft, words: { idRequired: string; idTaken: string }): Problems {
  const p = noProblems()
  const seen = new Set<string>()
  for (const s of d.steps) {
    if (!s.id.trim()) add(p, { key: s.key, field: 'id' }, words.idRequired)
    else if (seen.has(s.id)) add(p, { key: s.key, field: 'id' }, words.idTaken)
    seen.add(s.id)
  }
  return p
}

/** problemsOf reads the validator's problems out of a 422 on field flow; null for any other error. */
export function problemsOf(d: FlowDraft, e: unknown): Problems | null {
  if (!(e instanceof ApiError) || e.code !== 'validation_failed' || e.details.field !== 'flow') return null
  const p = noProblems()
  const list = Array.isArray(e.details.problems) ? (e.details.problems as { path?: unknown; message?: unknown }[]) : []
  for (const pr of list) add(p, place(d, str(pr.path)), str(pr.message))
  if (!p.first) add(p, { key: null, field: '' }, e.message)
  return p
}

export async function loadBot(id: string): Promise<Bot> {
  return (await api.get('/api/v1/bots/{id}', { path: { id } })) as Bot
}

export async function saveFlow(botId: string, d: FlowDraft): Promise<void> {
  await api.patch('/api/v1/bots/{id}', { path: { id: botId }, body: { flow: toFlow(d) } })
}

export type SimAnswer = components['schemas']['FlowSimulateResponse']
export type SimState = SimAnswer['state']

/** simulate runs one customer message through the draft (unsaved edits included). */
export async function simulate(
  botId: string, d: FlowDraft, state: SimState | undefined, attributes: Record<string, string>, input: { text?: string; payload?: string },
): Promise<SimAnswer> {
  return (await api.post('/api/v1/bots/{id}/flow/simulate', { path: { id: botId }, body: { flow: toFlow(d), state, attributes, input } })) as SimAnswer
}
