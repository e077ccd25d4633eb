// useReport reads one report whenever the filters change, keeping only the
// answer to the latest filters (a slow answer to older ones is dropped).
import { ref, watch, type Ref } from 'vue'
import { ApiError } from '../../api/client'
import type { ReportFilters } from '../../state/reports'
import { duration } from '../../lib/format'

export function useReport<T>(filters: () => ReportFilters, load: (f: ReportFilters) => Promise<T[]>) {
  const items: Ref<T[]> = ref([])
  const loading = ref(false)
  const error = ref('')
  let generation = 0
  watch(
    () => JSON.stringify(filters()),
    async () => {
      const g = ++generation
      loading.value = true
      error.value = ''
      try {
        const r = await load(filters())
        if (g === generation) items.value = r
      } catch (e) {
        if (g === generation) error.value = e instanceof ApiError ? e.code : 'unknown'
      } finally {
        if (g === generation) loading.value = false
      }
    },
    { immediate: true },
  )
  return { items, loading, error }
}

/** seconds formats a figure in seconds as a duration (– without a sample). */
export function seconds(v: number | null | undefined): string {
  return v == null ? '–' : duration(Math.round(v))
}
