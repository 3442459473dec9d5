import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CronExpressionParser } from 'cron-parser';
import type HolidaysType from 'date-holidays';
import { IANAZone } from 'luxon';
import { didYouMean, editDistance } from '../util/did-you-mean.js';

/** Whether `zone` is an IANA time zone this runtime knows; with a suggestion when not. */
export function checkTimeZone(zone: string): { ok: true } | { ok: false; guess?: string } {
  if (IANAZone.isValidZone(zone) && zone.includes('/')) return { ok: true };
  if (zone === 'UTC') return { ok: true };
  const guess = didYouMean(zone, Intl.supportedValuesOf('timeZone'));
  return guess ? { ok: false, guess } : { ok: false };
}

/** A date-holidays calendar: `JP`, `US`, `US-CA`, or `none`. */
export function checkHolidayCalendar(code: string): { ok: true } | { ok: false; message: string; guess?: string } {
  if (code === 'none') return { ok: true };
  const [country, state] = code.split('-') as [string, string | undefined];
  const holidays = new (holidaysModule())();
  const countries = holidays.getCountries('en');
  if (!countries[country]) {
    const guess = closeCode(country, Object.keys(countries));
    return { ok: false, message: `"${country}" is not a country date-holidays knows`, ...(guess ? { guess } : {}) };
  }
  if (state !== undefined) {
    const states = holidays.getStates(country, 'en') ?? {};
    if (!states[state]) {
      const guess = closeCode(state, Object.keys(states));
      return { ok: false, message: `"${state}" is not a region of ${countries[country]}`, ...(guess ? { guess: `${country}-${guess}` } : {}) };
    }
  }
  return { ok: true };
}

/**
 * date-holidays, loaded on first use (one copy: its CommonJS build, for the engine too):
 * its data for every country is ~9 MB of heap, which commands that never check a calendar
 * (`import`, with `checkCalendar: false`) do not load.
 */
export function holidaysModule(): typeof HolidaysType {
  return (loaded ??= createRequire(import.meta.url)('date-holidays') as typeof HolidaysType);
}

let loaded: typeof HolidaysType | undefined;

/**
 * The versions of date-holidays and of the parser it computes dates with (which can be
 * updated alone), read from their package files without loading them.
 */
export function holidaysVersion(): string {
  try {
    const own = createRequire(import.meta.url).resolve('date-holidays/package.json');
    const parser = createRequire(own).resolve('date-holidays-parser/package.json');
    return [own, parser].map((path) => (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version).join(' ');
  } catch {
    return 'unknown';
  }
}

/**
 * A code close to `code`, when only one is that close: one edit from a two-letter code
 * reaches a dozen others (`XX` → `AX`?), and a guess among them would mislead.
 */
function closeCode(code: string, codes: readonly string[]): string | undefined {
  const guess = didYouMean(code, codes);
  if (guess === undefined) return undefined;
  const distance = editDistance(code.toLowerCase(), guess.toLowerCase());
  return codes.filter((candidate) => editDistance(code.toLowerCase(), candidate.toLowerCase()) === distance).length === 1 ? guess : undefined;
}

/** A 5-field cron expression of delivery minutes, parsed as the engine will parse it. */
export function checkCron(expression: string, zone: string): { ok: true } | { ok: false; message: string; hint: string } {
  const fields = expression.trim().split(/\s+/);
  const hint = 'write five fields: minute hour day-of-month month day-of-week, like "* 9-17 * * 1-5"';
  if (!expression.trim().startsWith('@') && fields.length !== 5) {
    return { ok: false, message: `has ${fields.length} fields; cadence reads 5 (a 6th would be read as seconds)`, hint };
  }
  try {
    CronExpressionParser.parse(expression, { tz: IANAZone.isValidZone(zone) ? zone : 'UTC' }).next();
    return { ok: true };
  } catch (error) {
    return { ok: false, message: (error as Error).message.replace(/^Error: /, ''), hint };
  }
}
