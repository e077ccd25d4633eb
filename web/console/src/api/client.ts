// The console's API client: typed by the OpenAPI document (schema.ts is
// generated from docs/openapi.json, which a Go test keeps equal to what the
// server serves), so a wrong path, parameter or field fails `npm run
// typecheck`. Requests carry the session cookie; errors become ApiError with
// the server's stable code.
import type { paths } from './schema'
import type { ClientErrorBody, ErrorBody } from './types'

type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** The paths that answer method M. */
type PathsFor<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends { [K in M]: { responses: unknown } } ? P : never
}[keyof paths]

type Op<P extends keyof paths, M extends HttpMethod> = paths[P] extends { [K in M]: infer O } ? O : never

type PathParams<O> = O extends { parameters: { path: infer PP } } ? { path: PP } : { path?: undefined }
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? Q : never
type BodyOf<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never
export type ResultOf<O> = O extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : void

/**
 * Options of one call. Bodies are Partial: the server decodes a missing
 * field as its zero value, and the console sends only what it means.
 */
export type CallOptions<O> = PathParams<O> & {
  query?: QueryOf<O>
  body?: Partial<BodyOf<O>>
  signal?: AbortSignal
  /** A 401 is the caller's to handle (the login form): no redirect. */
  own401?: boolean
}

/** An error answered by the server (or the network). */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: Record<string, unknown>
  /** Seconds to wait, from Retry-After (423 conversation_locked, 429). */
  readonly retryAfter: number

  constructor(status: number, body: ClientErrorBody | null, retryAfter: number) {
    super(body?.message ?? `HTTP ${status}`)
    this.name = 'ApiError'
    this.status = status
    this.code = body?.code ?? (status === 0 ? 'network' : 'http_' + status)
    this.details = body?.details ?? {}
    this.retryAfter = retryAfter
  }
}

/** Called on a 401 outside the login form: the session has ended. */
let onUnauthenticated: (() => void) | null = null

/** setUnauthenticatedHandler registers what a lost session does (back to login). */
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn
}

/** expand fills a path template like /api/v1/conversations/{id}. */
export function expand(template: string, params?: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params?.[k]
    if (v === undefined) throw new Error(`api: missing path parameter ${k} for ${template}`)
    return encodeURIComponent(v)
  })
}

function queryString(q: object | undefined): string {
  if (!q) return ''
  const sp = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue
    sp.set(k, String(v))
  }
  const s = sp.toString()
  return s ? '?' + s : ''
}

function retryAfterOf(res: Response, body: ErrorBody | null): number {
  const h = Number(res.headers.get('Retry-After'))
  if (Number.isFinite(h) && h > 0) return h
  const d = Number(body?.details?.['retry_after_seconds'])
  return Number.isFinite(d) && d > 0 ? d : 0
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: ErrorBody | null = null
  try {
    const j = (await res.json()) as { error?: ErrorBody }
    body = j.error ?? null
  } catch {
    body = null
  }
  return new ApiError(res.status, body, retryAfterOf(res, body))
}

async function call<O>(method: HttpMethod, template: string, opts: CallOptions<O> | undefined): Promise<ResultOf<O>> {
  const o = (opts ?? {}) as CallOptions<O> & { path?: Record<string, string> }
  const url = expand(template, o.path) + queryString(o.query as object | undefined)
  const init: RequestInit = { method: method.toUpperCase(), credentials: 'same-origin', signal: o.signal, headers: {} }
  if (o.body !== undefined) {
    init.body = JSON.stringify(o.body)
    ;(init.headers as Record<string, string>)['Content-Type'] = 'application/json'
  }
  let res: Response
  try {
    res = await fetch(url, init)
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e
    throw new ApiError(0, { code: 'network', message: (e as Error).message }, 0)
  }
  if (!res.ok) {
    const err = await errorOf(res)
    if (res.status === 401 && !o.own401) onUnauthenticated?.()
    throw err
  }
  if (res.status === 204) return undefined as ResultOf<O>
  const text = await res.text()
  return (text ? JSON.parse(text) : undefined) as ResultOf<O>
}

/** The typed API: api.get('/api/v1/conversations/{id}', { path: { id } }). */
export const api = {
  get<P extends PathsFor<'get'>>(path: P, opts?: CallOptions<Op<P, 'get'>>) {
    return call<Op<P, 'get'>>('get', path, opts)
  },
  post<P extends PathsFor<'post'>>(path: P, opts?: CallOptions<Op<P, 'post'>>) {
    return call<Op<P, 'post'>>('post', path, opts)
  },
  put<P extends PathsFor<'put'>>(path: P, opts?: CallOptions<Op<P, 'put'>>) {
    return call<Op<P, 'put'>>('put', path, opts)
  },
  patch<P extends PathsFor<'patch'>>(path: P, opts?: CallOptions<Op<P, 'patch'>>) {
    return call<Op<P, 'patch'>>('patch', path, opts)
  },
  delete<P extends PathsFor<'delete'>>(path: P, opts?: CallOptions<Op<P, 'delete'>>) {
    return call<Op<P, 'delete'>>('delete', path, opts)
  },
}

/** The upload route's answer. */
export type Uploaded = ResultOf<Op<'/api/v1/uploads', 'post'>>

/**
 * upload sends one file as multipart (POST /api/v1/uploads), reporting
 * progress from 0 to 1. fetch has no upload progress, hence XHR.
 */
export function upload(file: Blob, name: string, onProgress: (p: number) => void, signal?: AbortSignal): Promise<Uploaded> {
  const path: PathsFor<'post'> = '/api/v1/uploads'
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    xhr.withCredentials = true
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => {
      let body: unknown = null
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        body = null
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1)
        resolve(body as Uploaded)
        return
      }
      const eb = (body as { error?: ErrorBody } | null)?.error ?? null
      if (xhr.status === 401) onUnauthenticated?.()
      reject(new ApiError(xhr.status, eb, Number(xhr.getResponseHeader('Retry-After')) || 0))
    }
    xhr.onerror = () => reject(new ApiError(0, { code: 'network', message: 'network error' }, 0))
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'))
    signal?.addEventListener('abort', () => xhr.abort())
    const form = new FormData()
    form.append('file', file, name)
    xhr.send(form)
  })
}
