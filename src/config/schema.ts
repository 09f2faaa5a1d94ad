// JSON Schema of the conf.d YAML virtual-service shape, generated from the directive table so the two cannot
// drift (schema/virtual-service.schema.json is this output; test/config/generated.test.ts compares them).

import { SERVICES } from '../model/config';
import { DIRECTIVES, type DirectiveSpec } from './directives';

type Json = { [k: string]: unknown };

const INT = (minimum: number, maximum?: number): Json => ({
  anyOf: [
    { type: 'integer', minimum, ...(maximum !== undefined ? { maximum } : {}) },
    { type: 'string', pattern: '^[0-9]+' },
  ],
});
const YESNO: Json = { anyOf: [{ type: 'boolean' }, { enum: ['yes', 'no'] }] };
const STRING: Json = { type: 'string', minLength: 1 };
const LIST: Json = { anyOf: [STRING, { type: 'array', items: STRING, minItems: 1 }] };

const REAL_OBJECT: Json = {
  type: 'object',
  additionalProperties: false,
  required: ['address', 'forward'],
  properties: {
    address: { type: 'string', description: 'IP address (IPv6 without brackets) or host name.' },
    to: { type: 'string', description: 'Last address of an IPv4 range.' },
    port: { anyOf: [{ type: 'integer', minimum: 0, maximum: 65535 }, { type: 'string' }] },
    forward: { enum: ['gate', 'masq', 'ipip'] },
    weight: { type: 'integer', minimum: 0, maximum: 65535 },
    request: { type: 'string' },
    receive: { type: 'string' },
    lower: { type: 'integer', minimum: 0 },
    upper: { type: 'integer', minimum: 0 },
  },
  dependentRequired: { request: ['receive'], receive: ['request'] },
};

/**
 * The schema's identifier: a URN (RFC 4122 `urn:uuid:`), fixed for this shape of the schema. The project has no
 * public web address to name, and an https $id that fetches nothing would mislead; editors find the file through
 * the `# yaml-language-server: $schema=` line of each YAML file (a path), validators by this id (docs/config.md).
 */
export const SCHEMA_ID = 'urn:uuid:2db3b9c4-5c7a-4224-a6f5-9cf3782a5ec5';

/** The first line of a conf.d YAML file in this repository: where yaml-language-server finds the schema. */
export const YAML_SCHEMA_LINE = '# yaml-language-server: $schema=../../schema/virtual-service.schema.json';

function valueSchema(d: DirectiveSpec): Json {
  switch (d.type) {
    case 'posint':
      return INT(1);
    case 'uint':
      return INT(0);
    case 'port':
      return INT(1, 65535);
    case 'persistent':
      return INT(0);
    case 'yesno':
      return YESNO;
    case 'quoted-any':
      return { type: 'string' };
    case 'checktype':
      return {
        anyOf: [
          { enum: ['negotiate', 'connect', 'ping', 'external', 'external-perl', 'on', 'off'] },
          { type: 'integer', minimum: 0 },
        ],
      };
    case 'service':
      // oracle is refused by the reader (E_ORACLE_UNSUPPORTED): not offered here.
      return { enum: SERVICES.filter((name) => name !== 'oracle') };
    case 'protocol':
      return { enum: ['tcp', 'udp', 'fwm'] };
    case 'httpmethod':
      return { type: 'string', pattern: '^([Gg][Ee][Tt]|[Hh][Ee][Aa][Dd])$' };
    case 'scheduler':
      return { type: 'string', pattern: '^[a-z]+$' };
    case 'netmask':
      return {
        anyOf: [
          { type: 'integer', minimum: 1, maximum: 128 },
          { type: 'string', pattern: '^[0-9]+(\\.[0-9]+){3}$' },
        ],
      };
    case 'schedflags':
    case 'emailalert':
    case 'emailalertstatus':
      return LIST;
    case 'real':
      return { type: 'array', items: { anyOf: [STRING, REAL_OBJECT] } };
    default:
      return STRING;
  }
}

export function virtualServiceSchema(): Json {
  const properties: Json = {
    virtual: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'integer', minimum: 1 },
      ],
      description: 'IPv4 ADDRESS:PORT, HOST:PORT, or a firewall mark.',
    },
    virtual6: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'integer', minimum: 1 },
      ],
      description: 'IPv6 "[ADDRESS]:PORT", HOST:PORT, or a firewall mark.',
    },
  };
  for (const d of DIRECTIVES) {
    if (d.scope === 'global' || d.type === 'deprecated') continue;
    properties[d.name] = { ...valueSchema(d), description: d.doc };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'ldirectord-ts conf.d virtual service (YAML)',
    description:
      'One virtual service per file; keys are the per-virtual directives of ldirectord.cf. Generated from src/config/directives.ts.',
    type: 'object',
    additionalProperties: false,
    oneOf: [{ required: ['virtual'] }, { required: ['virtual6'] }],
    properties,
  };
}
