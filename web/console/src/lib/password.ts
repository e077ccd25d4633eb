// How strong a password looks, for the meter under password fields. The
// rule itself (the minimum length) is the server's (desk.CheckPassword,
// read from GET /api/v1/server): below it the meter says "too short", and
// the server refuses it whatever this says.

/** 0: too short, 1: weak, 2: fair, 3: good, 4: strong. */
export type Strength = 0 | 1 | 2 | 3 | 4

export const STRENGTH_NAMES = ['tooShort', 'weak', 'fair', 'good', 'strong'] as const

export function strength(pw: string, min: number): Strength {
  if (pw.length < min) return 0
  let score = 1
  if (pw.length >= min + 4) score++
  if (pw.length >= min * 2) score++
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(pw)).length
  if (kinds >= 3) score++
  return Math.min(score, 4) as Strength
}
