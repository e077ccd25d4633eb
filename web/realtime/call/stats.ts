// What a call carries, read from getStats(): for tests and the
// "connection" indicator.

export interface CallStats {
  /** audioBytes is the inbound audio's bytes received so far. */
  audioBytes: number
  /** videoFrames is the inbound video's frames decoded so far. */
  videoFrames: number
  /** pair is the selected candidate pair's local type: host, srflx, prflx or relay ('' before one is chosen). */
  pair: string
}

export async function readStats(pc: RTCPeerConnection | null): Promise<CallStats> {
  const out: CallStats = { audioBytes: 0, videoFrames: 0, pair: '' }
  if (!pc) return out
  const report = await pc.getStats()
  let pairId = ''
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioBytes += Number(s.bytesReceived ?? 0)
    if (s.type === 'inbound-rtp' && s.kind === 'video') out.videoFrames += Number(s.framesDecoded ?? 0)
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') pairId = s.selectedCandidatePairId
  })
  const pair = pairId ? (report.get(pairId) as Record<string, unknown> | undefined) : undefined
  const local = pair ? (report.get(String(pair.localCandidateId)) as Record<string, unknown> | undefined) : undefined
  out.pair = typeof local?.candidateType === 'string' ? local.candidateType : ''
  return out
}
