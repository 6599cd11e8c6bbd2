// The syntax of names, label keys and label values (Kubernetes's rules, which
// Drover keeps so that manifests and habits carry over). Each check returns
// the rule a value breaks, or undefined when it follows them all: the rule
// text is what validation errors print after the field path.

/** A DNS-1123 label: lowercase alphanumerics or '-', starting and ending alphanumeric. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_LABEL_MAX_LENGTH = 63;
/** A DNS-1123 subdomain: DNS-1123 labels joined by '.'. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
/** The name part of a qualified name (label key) and a non-empty label value. */
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
export const QUALIFIED_NAME_MAX_LENGTH = 63;
export const LABEL_VALUE_MAX_LENGTH = 63;
/** An environment variable name (C identifiers plus '.' and '-', as Kubernetes allows). */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export const DNS1123_LABEL_RULE =
  `must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most ${DNS1123_LABEL_MAX_LENGTH} characters)`;
export const DNS1123_SUBDOMAIN_RULE =
  `must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters)`;
export const QUALIFIED_NAME_RULE =
  `must be a qualified name: an optional DNS-1123 subdomain prefix and '/', then a name of at most ${QUALIFIED_NAME_MAX_LENGTH} letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
export const LABEL_VALUE_RULE =
  `must be empty or at most ${LABEL_VALUE_MAX_LENGTH} letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
export const ENV_VAR_NAME_RULE = "must consist of letters, digits, '_', '-' or '.', and not start with a digit";

export function checkDns1123Label(value: string): string | undefined {
  return value.length <= DNS1123_LABEL_MAX_LENGTH && DNS1123_LABEL.test(value) ? undefined : DNS1123_LABEL_RULE;
}

export function checkDns1123Subdomain(value: string): string | undefined {
  return value.length <= DNS1123_SUBDOMAIN_MAX_LENGTH && DNS1123_SUBDOMAIN.test(value)
    ? undefined
    : DNS1123_SUBDOMAIN_RULE;
}

/** A label, annotation or finalizer key: `[prefix/]name`, prefix a DNS-1123 subdomain. */
export function checkQualifiedName(value: string): string | undefined {
  const slash = value.indexOf('/');
  const prefix = slash < 0 ? undefined : value.slice(0, slash);
  const name = slash < 0 ? value : value.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || checkDns1123Subdomain(prefix) !== undefined)) {
    return QUALIFIED_NAME_RULE;
  }
  if (name.length === 0 || name.length > QUALIFIED_NAME_MAX_LENGTH || !QUALIFIED_NAME_PART.test(name)) {
    return QUALIFIED_NAME_RULE;
  }
  return undefined;
}

export function checkLabelValue(value: string): string | undefined {
  if (value === '') return undefined;
  return value.length <= LABEL_VALUE_MAX_LENGTH && QUALIFIED_NAME_PART.test(value) ? undefined : LABEL_VALUE_RULE;
}

export function checkEnvVarName(value: string): string | undefined {
  return ENV_VAR_NAME.test(value) ? undefined : ENV_VAR_NAME_RULE;
}

/** A port name (IANA service name): at most 15 lowercase letters, digits and '-', with a letter, no '-' at the ends or twice in a row. */
export const PORT_NAME_RULE =
  "must be a port name: at most 15 lowercase letters, digits and '-', with at least one letter, not starting or ending with '-' nor containing '--'";
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function checkPortName(value: string): string | undefined {
  const ok = value.length <= 15 && PORT_NAME.test(value) && /[a-z]/.test(value) && !value.includes('--');
  return ok ? undefined : PORT_NAME_RULE;
}
