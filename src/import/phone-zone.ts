/**
 * The time zone a phone number suggests. Only international numbers (`+81 3-1234-5678`)
 * say where the lead is; a domestic number (`03-1234-5678`, `090-…`) could be from any
 * country, so the caller falls back to the workspace's zone.
 */

/** The most common country calling codes and the zone of the country's business centre. */
export const CALLING_CODE_ZONES: Readonly<Record<string, string>> = {
  '7': 'Europe/Moscow',
  '20': 'Africa/Cairo',
  '27': 'Africa/Johannesburg',
  '30': 'Europe/Athens',
  '31': 'Europe/Amsterdam',
  '32': 'Europe/Brussels',
  '33': 'Europe/Paris',
  '34': 'Europe/Madrid',
  '36': 'Europe/Budapest',
  '39': 'Europe/Rome',
  '40': 'Europe/Bucharest',
  '41': 'Europe/Zurich',
  '43': 'Europe/Vienna',
  '44': 'Europe/London',
  '45': 'Europe/Copenhagen',
  '46': 'Europe/Stockholm',
  '47': 'Europe/Oslo',
  '48': 'Europe/Warsaw',
  '49': 'Europe/Berlin',
  '52': 'America/Mexico_City',
  '54': 'America/Argentina/Buenos_Aires',
  '55': 'America/Sao_Paulo',
  '56': 'America/Santiago',
  '57': 'America/Bogota',
  '60': 'Asia/Kuala_Lumpur',
  '61': 'Australia/Sydney',
  '62': 'Asia/Jakarta',
  '63': 'Asia/Manila',
  '64': 'Pacific/Auckland',
  '65': 'Asia/Singapore',
  '66': 'Asia/Bangkok',
  '81': 'Asia/Tokyo',
  '82': 'Asia/Seoul',
  '84': 'Asia/Ho_Chi_Minh',
  '86': 'Asia/Shanghai',
  '90': 'Europe/Istanbul',
  '91': 'Asia/Kolkata',
  '92': 'Asia/Karachi',
  '234': 'Africa/Lagos',
  '254': 'Africa/Nairobi',
  '351': 'Europe/Lisbon',
  '353': 'Europe/Dublin',
  '358': 'Europe/Helsinki',
  '420': 'Europe/Prague',
  '852': 'Asia/Hong_Kong',
  '880': 'Asia/Dhaka',
  '886': 'Asia/Taipei',
  '966': 'Asia/Riyadh',
  '971': 'Asia/Dubai',
  '972': 'Asia/Jerusalem',
};

/** +1 covers six US and Canadian zones; New York only when the workspace is not in one. */
export const NORTH_AMERICA_FALLBACK = 'America/New_York';

const NORTH_AMERICAN_ZONES: ReadonlySet<string> = new Set([
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix',
  'America/Anchorage', 'America/Juneau', 'America/Sitka', 'America/Nome', 'America/Yakutat', 'America/Adak',
  'America/Boise', 'America/Detroit', 'America/Menominee', 'America/Toronto', 'America/Vancouver',
  'America/Edmonton', 'America/Winnipeg', 'America/Regina', 'America/Halifax', 'America/St_Johns',
  'America/Moncton', 'America/Whitehorse', 'America/Puerto_Rico', 'Pacific/Honolulu',
]);
const NORTH_AMERICAN_PREFIXES = ['America/Indiana/', 'America/Kentucky/', 'America/North_Dakota/', 'US/', 'Canada/'];

/** Whether a zone is in the US or Canada (the +1 countries a team is likely to sell from). */
export function isNorthAmericanZone(zone: string): boolean {
  return NORTH_AMERICAN_ZONES.has(zone) || NORTH_AMERICAN_PREFIXES.some((prefix) => zone.startsWith(prefix));
}

/**
 * The zone for an international number (`+` then the calling code; spaces, dashes and
 * brackets between digits are skipped), or undefined for a domestic number or a calling
 * code not in the table. `+1` gives the workspace's zone when that is North American,
 * else America/New_York. `phone` is expected NFKC-normalised (ASCII digits and `+`).
 */
export function zoneForPhone(phone: string, workspaceZone: string): string | undefined {
  if (phone.charCodeAt(0) !== 43 /* + */) return undefined;
  let code = '';
  for (let i = 1; i < phone.length && code.length < 3; i++) {
    const c = phone.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      code += phone[i];
      if (code === '1') return isNorthAmericanZone(workspaceZone) ? workspaceZone : NORTH_AMERICA_FALLBACK;
      // Calling codes are a prefix code: the first match is the only one.
      const zone = CALLING_CODE_ZONES[code];
      if (zone !== undefined) return zone;
    } else if (c !== 32 && c !== 45 && c !== 40 && c !== 41 && c !== 46) {
      return undefined;
    }
  }
  return undefined;
}
