// Closing popovers (row menus, the status menu, the emoji picker) when the
// user clicks elsewhere.
import { onBeforeUnmount, watch, type Ref } from 'vue'

/** closeOnOutside sets open to false on a click outside root while open. */
export function closeOnOutside(root: Ref<HTMLElement | null>, open: Ref<boolean>): void {
  const onDown = (e: PointerEvent) => {
    if (root.value && !root.value.contains(e.target as Node)) open.value = false
  }
  watch(open, (o) => {
    if (o) window.addEventListener('pointerdown', onDown, true)
    else window.removeEventListener('pointerdown', onDown, true)
  })
  onBeforeUnmount(() => window.removeEventListener('pointerdown', onDown, true))
}
