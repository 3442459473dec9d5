import type { FieldType, LeadFieldDefinition, WorkspaceConfig } from './types.js';

/** The lead fields every workspace has; custom ones are declared in cadence.yaml. */
export const BUILTIN_LEAD_FIELDS: Readonly<Record<string, LeadFieldDefinition>> = {
  email: { type: 'string', label: 'Email' },
  first_name: { type: 'string', label: 'First (given) name' },
  last_name: { type: 'string', label: 'Last (family) name' },
  full_name: { type: 'string', label: 'Full name (derived from the parts when absent)' },
  first_name_kana: { type: 'string', label: 'Given name reading (kana)' },
  last_name_kana: { type: 'string', label: 'Family name reading (kana)' },
  company: { type: 'string', label: 'Company' },
  department: { type: 'string', label: 'Department' },
  title: { type: 'string', label: 'Job title' },
  phone: { type: 'string', label: 'Phone' },
  timezone: { type: 'string', label: 'IANA time zone' },
  language: { type: 'enum', values: ['en', 'ja'], label: 'Preferred language' },
  owner: { type: 'string', label: 'Owner (rep name)' },
  status: { type: 'string', label: 'Status' },
  stage: { type: 'string', label: 'Stage' },
  source: { type: 'string', label: 'Source' },
  campaign: { type: 'string', label: 'Campaign' },
  linkedin_url: { type: 'string', label: 'LinkedIn profile URL' },
  website: { type: 'string', label: 'Website' },
  country: { type: 'string', label: 'Country (ISO code)' },
};

/** Every field a lead can have in this workspace: built-in, then custom. */
export function leadFields(config: WorkspaceConfig | undefined): Map<string, LeadFieldDefinition> {
  const fields = new Map(Object.entries(BUILTIN_LEAD_FIELDS));
  for (const [name, definition] of Object.entries(config?.lead_fields ?? {})) {
    if (!fields.has(name)) fields.set(name, definition);
  }
  return fields;
}

export function isDateType(type: FieldType): boolean {
  return type === 'date' || type === 'datetime';
}
