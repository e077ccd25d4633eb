// New handovers and new customer messages get the agent's attention: a
// short sound, a browser notification (once permission is given, and only
// while the tab is not in front) and a count in the tab title.
import { reactive, watch } from 'vue'

export const alerts = reactive({
  /** unseen counts events since the tab was last in front. */
  unseen: 0,
  permission: (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission) as
    | NotificationPermission
    | 'unsupported',
  sound: localStorage.getItem('relevo.sound') !== 'off',
})

const baseTitle = 'Relevo'

watch(
  () => alerts.unseen,
  (n) => {
    document.title = n > 0 ? `(${n}) ${baseTitle}` : baseTitle
  },
)

function inFront(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus()
}

window.addEventListener('focus', () => {
  alerts.unseen = 0
})
document.addEventListener('visibilitychange', () => {
  if (inFront()) alerts.unseen = 0
})

export async function askPermission(): Promise<void> {
  if (typeof Notification === 'undefined') return
  alerts.permission = await Notification.requestPermission()
}

export function setSound(on: boolean): void {
  alerts.sound = on
  localStorage.setItem('relevo.sound', on ? 'on' : 'off')
}

let audio: AudioContext | null = null

/** chime plays two soft notes, made with WebAudio (no file to load). */
function chime(): void {
  // Browsers let audio start only after a gesture: unlockAudio makes the
  // context on the first click or key, and until then there is no sound.
  if (!audio || audio.state !== 'running') return
  try {
    const t = audio.currentTime
    for (const [i, f] of [660, 880].entries()) {
      const o = audio.createOscillator()
      const g = audio.createGain()
      o.type = 'sine'
      o.frequency.value = f
      g.gain.setValueAtTime(0.0001, t + i * 0.12)
      g.gain.exponentialRampToValueAtTime(0.08, t + i * 0.12 + 0.02)
      g.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.12 + 0.25)
      o.connect(g).connect(audio.destination)
      o.start(t + i * 0.12)
      o.stop(t + i * 0.12 + 0.3)
    }
  } catch {
    // no audio output: the title and the notification still tell
  }
}

/** alert tells the user about something new; onClick focuses it. */
export function alert(title: string, body: string, tag: string, onClick?: () => void): void {
  const front = inFront()
  if (!front) alerts.unseen++
  if (alerts.sound) chime()
  if (!front && alerts.permission === 'granted') {
    try {
      const n = new Notification(title, { body, tag, icon: '/favicon.svg' })
      n.onclick = () => {
        window.focus()
        onClick?.()
        n.close()
      }
    } catch {
      // some browsers only allow notifications from a service worker
    }
  }
}

/** unlockAudio lets the chime play: browsers need a user gesture first. */
export function unlockAudio(): void {
  try {
    audio ??= new AudioContext()
    if (audio.state === 'suspended') void audio.resume()
  } catch {
    // ignore
  }
}
