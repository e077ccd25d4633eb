// The ring of an incoming call, made with WebAudio (no file to load): two
// short tones every two seconds until stopped. Browsers start audio only
// after a gesture on the page; before that the ring is silent and the
// prompt (and the console's notification) still tell.

export class Ringer {
  private ctx: AudioContext | null = null
  private timer: ReturnType<typeof setInterval> | undefined

  start(): void {
    if (this.timer) return
    try {
      this.ctx ??= new AudioContext()
      if (this.ctx.state === 'suspended') void this.ctx.resume()
    } catch {
      return // no audio here
    }
    this.burst()
    this.timer = setInterval(() => this.burst(), 2000)
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  get ringing(): boolean {
    return this.timer !== undefined
  }

  private burst(): void {
    const a = this.ctx
    if (!a || a.state !== 'running') return
    const t = a.currentTime
    for (let i = 0; i < 2; i++) {
      const o = a.createOscillator()
      const g = a.createGain()
      o.frequency.value = i ? 480 : 440
      const at = t + i * 0.45
      g.gain.setValueAtTime(0.0001, at)
      g.gain.exponentialRampToValueAtTime(0.06, at + 0.03)
      g.gain.exponentialRampToValueAtTime(0.0001, at + 0.4)
      o.connect(g).connect(a.destination)
      o.start(at)
      o.stop(at + 0.42)
    }
  }
}
