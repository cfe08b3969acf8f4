import type { MessageKey } from '@/lib/i18n/translate';

/** Morning until noon, afternoon until 18:00, evening otherwise (including the small hours). */
export function greetingKey(hour: number): MessageKey {
  if (hour >= 5 && hour < 12) return 'greeting.morning';
  if (hour >= 12 && hour < 18) return 'greeting.afternoon';
  return 'greeting.evening';
}
