// The catalogue of configuration diagnostics. Every code the loader can emit is listed here with a one-line
// description; docs/config.md lists the same codes (test/config/docs.test.ts fails if they disagree).
// Codes are stable: tests and operators match on them, so never rename one.

export const ERROR_CODES = {
  E_IO: 'A file (main config, conf.d fragment or confdir directory) could not be read.',
  E_NOT_REGULAR:
    'A config file or conf.d fragment is not a regular file (a FIFO, a device such as /dev/zero, a directory).',
  E_TOO_LARGE: 'A config file or conf.d fragment is larger than 8 MiB.',
  E_MORE_ERRORS: 'More than 100 errors: the first 100 are listed, this line counts the rest.',
  E_SYNTAX: 'A line is not `name=value`, or is indented where a global directive belongs.',
  E_UNKNOWN_DIRECTIVE: 'The directive name is not known (names are lowercase and case-sensitive).',
  E_WRONG_SCOPE: 'A global-only directive inside a virtual section, or a virtual-only directive at global level.',
  E_DEPRECATED: 'A directive ldirectord removed (`timeout`, `connecttimeout`).',
  E_CONTROL_CHAR: 'A value holds a CR, LF or NUL character (it would reach mail commands, log lines or metric labels).',
  E_EMPTY_VALUE: 'A directive that needs a value has none.',
  E_NEEDS_QUOTES: 'The value must be enclosed in double quotes (`request="/"`).',
  E_BAD_INTEGER: 'The value is not a whole number in the allowed range.',
  E_BAD_BOOLEAN: 'The value is not `yes` or `no`.',
  E_BAD_VALUE: 'The value is not one of the allowed words or forms for this directive.',
  E_BAD_ADDRESS: 'An address is neither an IP address nor a host name of the right form.',
  E_BAD_PORT: 'A port is not 1..65535 (or 0 where allowed) or an unknown service name.',
  E_MISSING_PORT: '`virtual=ADDRESS` without a port (ldirectord silently read it as a firewall mark).',
  E_RESOLVE: "A host name could not be resolved to an address of the section's family.",
  E_FAMILY: 'An IPv6 address where IPv4 is expected or the reverse (`real6` in a `virtual` section, ...).',
  E_BAD_REAL:
    'A `real=` line does not follow `HOST[->HOST2][:PORT] gate|masq|ipip [WEIGHT] ["REQ", "RECV"] [l:N] [u:N]`.',
  E_BAD_RANGE: 'An address range is reversed, too large, or IPv6.',
  E_BAD_FALLBACK: 'A `fallback=` value does not follow `HOST[:PORT] [gate|masq|ipip]`.',
  E_DUPLICATE_VIRTUAL: 'Two virtual services with the same protocol and address:port (or the same mark).',
  E_ORACLE_UNSUPPORTED:
    '`service=oracle`: no Oracle client ships with ldirectord-ts (use checktype=connect or external).',
  E_SCHEDFLAGS: '`schedflags` names an unknown flag or one that does not fit the scheduler.',
  E_FRAGMENT: 'A conf.d `.cf` fragment holds something other than exactly one virtual section.',
  E_YAML_SYNTAX: 'A conf.d YAML file is not well-formed YAML.',
  E_YAML_SHAPE: 'A conf.d YAML file is well-formed but not a virtual-service mapping of the documented shape.',
  E_ANNOUNCE: '`announcesocket` is not an absolute path, or `announcenexthop` is neither `self` nor an IP address.',
  E_SMTP:
    '`smtpstarttls` is not `no`, `auto` or `yes`; `smtpuser` and `smtppasswordfile` are not set together; AUTH without `smtpstarttls=yes`; or a relative `smtppasswordfile`.',
  E_SYNC: 'The sync daemon directives do not fit together, or a sync value is outside what the kernel accepts.',
  E_SYNC_INTERFACE: '`-t` only: the `syncinterface` does not exist on this host.',
  E_INTERNAL: 'A defect in ldirectord-ts itself while reading the config (please report it); the config is refused.',
} as const;

export const WARNING_CODES = {
  W_DEPRECATED: '`checkcount` is deprecated in favour of `failurecount` (still used for ping attempts).',
  W_NUMBER_SUFFIX: 'Text after a number was ignored (`3s` read as 3), as ldirectord does.',
  W_TRAILING_TEXT: 'Text after a complete value was ignored, as ldirectord does.',
  W_SUPERVISED_BARE: 'A bare `supervised` line was read as `supervised=yes`.',
  W_ORACLE_DERIVED: 'Port 1521 would select the oracle service; a connect check is used instead.',
  W_OPS_IGNORED: '`ops=yes` only applies to UDP virtual services and was ignored.',
  W_PERSISTENT_ZERO: '`persistent=0` was read as "not persistent" (ipvsadm refuses a zero timeout).',
  W_WEIGHT_SWITCH:
    "ipvsadm's `-w` before a real server's weight was ignored (`gate -w 5` read as `gate 5`), as ldirectord does.",
  W_QUOTED_THRESHOLD: 'A quoted `"l:N"`/`"u:N"` was read as a threshold (ldirectord read it as a request).',
  W_DUPLICATE_DIRECTIVE: 'A directive given twice in the same scope: the last value wins.',
  W_DUPLICATE_REAL: 'The same real server (address:port as the kernel sees it) appears twice in one virtual.',
  W_SYNC_UNUSED: 'A sync directive (`syncinterface`, `syncid`, ...) without `syncdaemon`: it has no effect.',
  W_EMPTY_FRAGMENT: 'A conf.d file holds no virtual service.',
  W_NO_VIRTUALS:
    'The config holds no virtual service: started or reloaded, it leaves an empty IPVS table (printed by `-t`, logged at start and reload).',
  W_NO_PORT:
    'A real server can never come up or carry traffic: its check has no port, or a masq real has port 0 (printed by `-t`, logged at start and reload).',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type WarningCode = keyof typeof WARNING_CODES;
