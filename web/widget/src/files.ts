// Files of the conversation are behind the widget token, which a URL in an
// <img> or a link cannot carry: they are fetched with the token in a header
// and shown from blob: URLs, kept for the page's life.
import type { Api } from './api'

const urls = new Map<string, Promise<string>>()

export function objectURL(api: Api, url: string): Promise<string> {
  let p = urls.get(url)
  if (!p) {
    p = api.blob(url).then((b) => URL.createObjectURL(b))
    p.catch(() => urls.delete(url))
    urls.set(url, p)
  }
  return p
}

/** download saves a file of the conversation under its name. */
export async function download(api: Api, url: string, name: string): Promise<void> {
  const a = document.createElement('a')
  a.href = await objectURL(api, url)
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
