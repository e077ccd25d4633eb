// The emoji picker: a smiley button beside the composer opens a small grid
// of the emoji customers use most. It is a keyboard widget of its own: focus
// lands on the first emoji, the arrow keys (and Home/End) move through the
// grid, Enter or Space picks, Escape closes; a pick or a click elsewhere
// closes it and focus goes back to where the visitor types. A fixed list
// keeps the widget small (a full emoji table would weigh more than the
// whole panel).
import { h, icon, icons } from '../dom'
import { t } from '../i18n'

const EMOJI = ['😀', '😊', '😂', '😍', '😉', '😎', '🤔', '😅', '😢', '😮', '😡', '🙏', '👍', '👎', '👌', '👏', '👋', '💪', '❤️', '🎉', '✅', '❌', '⭐', '🔥']
const COLS = 6

export class EmojiPicker {
  readonly toggle: HTMLButtonElement
  readonly el: HTMLElement
  private buttons: HTMLButtonElement[]

  constructor(private pick: (emoji: string) => void) {
    this.toggle = h(
      'button',
      { type: 'button', class: 'icon-btn', 'aria-expanded': 'false', 'aria-controls': 'relevo-emoji', 'data-testid': 'widget-emoji', onclick: () => this.show(this.el.hidden) },
      icon(icons.smile),
    )
    this.buttons = EMOJI.map((e, i) => h('button', { type: 'button', class: 'emoji', tabindex: i ? -1 : 0, onclick: () => this.choose(e) }, e))
    this.el = h('div', { id: 'relevo-emoji', class: 'emoji-picker', role: 'dialog', hidden: true, 'data-testid': 'widget-emoji-picker' }, ...this.buttons)
    this.el.addEventListener('keydown', (e) => this.key(e))
    document.addEventListener('pointerdown', (e) => {
      const at = e.target as Node
      if (!this.el.hidden && !this.el.contains(at) && !this.toggle.contains(at)) this.show(false, false)
    })
  }

  render(): void {
    this.toggle.setAttribute('aria-label', t('emoji'))
    this.toggle.title = t('emoji')
    this.el.setAttribute('aria-label', t('emoji'))
  }

  /** show opens or closes the grid; closing by keyboard puts focus back on the toggle. */
  private show(open: boolean, refocus = true): void {
    this.el.hidden = !open
    this.toggle.setAttribute('aria-expanded', String(open))
    if (open) this.move(0)
    else if (refocus) this.toggle.focus()
  }

  private choose(emoji: string): void {
    this.show(false, false)
    this.pick(emoji)
  }

  /** move makes button i the grid's one tab stop and focuses it. */
  private move(i: number): void {
    const n = this.buttons.length
    i = (i + n) % n
    this.buttons.forEach((b, j) => (b.tabIndex = j === i ? 0 : -1))
    this.buttons[i]!.focus()
  }

  private key(e: KeyboardEvent): void {
    const at = this.buttons.indexOf(document.activeElement as HTMLButtonElement)
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLS, ArrowUp: -COLS }
    if (e.key === 'Escape') {
      // The picker's Escape must not also close the panel.
      e.stopPropagation()
      this.show(false)
    } else if (e.key in step && at >= 0) {
      this.move(at + step[e.key]!)
    } else if (e.key === 'Home') {
      this.move(0)
    } else if (e.key === 'End') {
      this.move(this.buttons.length - 1)
    } else {
      return
    }
    e.preventDefault()
  }
}
