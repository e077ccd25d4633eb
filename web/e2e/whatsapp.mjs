// WhatsApp's side of the browser tests: a fake Graph API for a channel's
// graph_url, and a customer's message posted to Relevo's webhook the way
// Meta posts it. Test files reach the fake through serverAndBrowser({ graph }).
import { createServer } from 'node:http'
import { createHmac } from 'node:crypto'

/**
 * @typedef {{ type: string, product: string, name: string, partType: string, data: Buffer }} Upload
 * @typedef {{ url: string, messages: { auth: string | undefined, body: any }[], calls: any[], uploads: Upload[], others: string[], close: () => Promise<unknown> }} FakeGraph
 */

/**
 * fakeGraph answers POST /{phone_number_id}/messages, POST
 * /{phone_number_id}/media (multipart: the file and its type) and POST
 * /{phone_number_id}/calls (pre_accept, accept, reject, terminate) as the
 * Cloud API does, for any number, and records them; anything else is a
 * 404, recorded in others.
 * @returns {Promise<FakeGraph>}
 */
export function fakeGraph() {
  /** @type {FakeGraph['messages']} */
  const messages = []
  /** @type {any[]} */
  const calls = []
  /** @type {Upload[]} */
  const uploads = []
  /** @type {string[]} */
  const others = []
  const srv = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      const raw = Buffer.concat(chunks)
      const answer = (status, body) => {
        res.writeHead(status, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      const path = req.method === 'POST' ? (req.url ?? '').split('/').slice(2).join('/') : ''
      if (path === 'media') {
        const form = await new Response(raw, { headers: { 'Content-Type': req.headers['content-type'] ?? '' } }).formData()
        const file = /** @type {File} */ (form.get('file'))
        uploads.push({
          type: String(form.get('type')),
          product: String(form.get('messaging_product')),
          name: file.name,
          partType: file.type,
          data: Buffer.from(await file.arrayBuffer()),
        })
        answer(200, { id: `media-${uploads.length}` })
        return
      }
      if (path === 'calls') {
        calls.push(JSON.parse(raw.toString('utf8')))
        answer(200, { messaging_product: 'whatsapp', success: true })
        return
      }
      if (path === 'messages') {
        let body
        try {
          body = JSON.parse(raw.toString('utf8'))
        } catch {
          answer(400, { error: { message: 'bad json', type: 'OAuthException', code: 100 } })
          return
        }
        messages.push({ auth: req.headers.authorization, body })
        answer(200, {
          messaging_product: 'whatsapp',
          contacts: [{ input: body.to ?? '', wa_id: body.to ?? '' }],
          messages: [{ id: `wamid.TEST${messages.length}` }],
        })
        return
      }
      others.push(`${req.method} ${req.url}`)
      answer(404, { error: { message: 'not found', type: 'GraphMethodException', code: 100 } })
    })
  })
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address())
      resolve({ url: `http://127.0.0.1:${port}`, messages, calls, uploads, others, close: () => new Promise((r) => srv.close(() => r(undefined))) })
    })
  })
}

/**
 * whatsappText posts a customer's text to the webhook of channel channelID
 * on base in Meta's format, signed with the channel's app secret, and
 * returns the answer (the caller checks it).
 * @param {string} base
 * @param {string} channelID
 * @param {{ appSecret: string, wabaID: string, phoneNumberID: string, displayPhone: string, waID: string, name: string, wamid: string, text: string, at?: number }} m
 */
export function whatsappText(base, channelID, { appSecret, wabaID, phoneNumberID, displayPhone, waID, name, wamid, text, at = Date.now() }) {
  const raw = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: wabaID,
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: displayPhone, phone_number_id: phoneNumberID },
          contacts: [{ profile: { name }, wa_id: waID }],
          messages: [{ from: waID, id: wamid, timestamp: String(Math.floor(at / 1000)), type: 'text', text: { body: text } }],
        },
      }],
    }],
  })
  return signedWebhook(base, channelID, appSecret, raw)
}

/**
 * whatsappCall posts a user-initiated call event (connect with the caller's
 * SDP offer, or terminate) to the webhook of channel channelID in Meta's
 * format (the calls field), signed with the channel's app secret.
 * @param {string} base
 * @param {string} channelID
 * @param {{ appSecret: string, wabaID: string, phoneNumberID: string, displayPhone: string, waID: string, name: string, callID: string, event: 'connect' | 'terminate', sdp?: string, at?: number }} c
 */
export function whatsappCall(base, channelID, { appSecret, wabaID, phoneNumberID, displayPhone, waID, name, callID, event, sdp, at = Date.now() }) {
  const call = { id: callID, from: waID, to: displayPhone, event, timestamp: String(Math.floor(at / 1000)), direction: 'USER_INITIATED' }
  const raw = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: wabaID,
      changes: [{
        field: 'calls',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: displayPhone, phone_number_id: phoneNumberID },
          contacts: [{ profile: { name }, wa_id: waID }],
          calls: [event === 'connect' ? { ...call, session: { sdp_type: 'offer', sdp } } : { ...call, status: 'COMPLETED' }],
        },
      }],
    }],
  })
  return signedWebhook(base, channelID, appSecret, raw)
}

/** signedWebhook posts raw to the channel's webhook with Meta's signature. */
function signedWebhook(base, channelID, appSecret, raw) {
  const sig = 'sha256=' + createHmac('sha256', appSecret).update(raw).digest('hex')
  return fetch(`${base}/webhooks/whatsapp/${channelID}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': sig },
    body: raw,
  })
}
