// A read that the socket's frames may overtake: frames that come while it
// is on its way are held and applied again on top of its answer, which may
// have been made before their change committed. Each screen drops what is
// older than what it holds (by seq), so applying a frame twice is harmless.
export class Replay<T> {
  private held: T[] | null = null

  /** start begins a read: frames from now on are held. */
  start(): void {
    this.held = []
  }

  /** hold keeps a frame while a read is on its way (and nothing otherwise). */
  hold(frame: T): void {
    this.held?.push(frame)
  }

  /** take ends the read and returns the frames that came meanwhile. */
  take(): T[] {
    const out = this.held ?? []
    this.held = null
    return out
  }
}
