// The widget's accent rule, shared by the widget (which picks its text
// colour with it) and the console's channel form (which previews the
// widget and warns about a colour white text does not read on).

/** WCAG AA for normal text. */
export const minContrast = 4.5

/** contrastWithWhite is the WCAG contrast ratio of white text on hex (#rgb or #rrggbb). */
export function contrastWithWhite(hex: string): number {
  const v = hex.length === 4 ? [...hex.slice(1)].map((c) => c + c) : [hex.slice(1, 3), hex.slice(3, 5), hex.slice(5, 7)]
  const [r, g, b] = v.map((x) => {
    const c = parseInt(x, 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
  return 1.05 / (lum + 0.05)
}

/**
 * onAccent is the text colour on the channel's accent: white while it
 * reads at WCAG AA (4.5:1), else black (a pale accent such as #ffd400).
 */
export function onAccent(hex: string): string {
  return contrastWithWhite(hex) >= minContrast ? '#fff' : '#000'
}
