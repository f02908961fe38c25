/**
 * Diagnostic codes of rules loading, with the short text and long description Falco attaches to
 * each (the `code`/`codedesc` of the `-V` JSON and the summary line). The order of the tables is
 * Falco's enum order, kept so the numeric index of a code means the same thing here.
 */

export const ERROR_CODES = [
  'LOAD_ERR_FILE_READ',
  'LOAD_ERR_YAML_PARSE',
  'LOAD_ERR_YAML_VALIDATE',
  'LOAD_ERR_COMPILE_CONDITION',
  'LOAD_ERR_COMPILE_OUTPUT',
  'LOAD_ERR_VALIDATE',
  'LOAD_ERR_EXTENSION',
] as const;
export type LoadErrorCode = (typeof ERROR_CODES)[number];

export const WARNING_CODES = [
  'LOAD_UNKNOWN_SOURCE',
  'LOAD_UNSAFE_NA_CHECK',
  'LOAD_NO_EVTTYPE',
  'LOAD_UNKNOWN_FILTER',
  'LOAD_UNUSED_MACRO',
  'LOAD_UNUSED_LIST',
  'LOAD_UNKNOWN_ITEM',
  'LOAD_DEPRECATED_ITEM',
  'LOAD_WARNING_EXTENSION',
  'LOAD_APPEND_NO_VALUES',
  'LOAD_EXCEPTION_NAME_NOT_UNIQUE',
  'LOAD_INVALID_MACRO_NAME',
  'LOAD_INVALID_LIST_NAME',
  'LOAD_COMPILE_CONDITION',
  'LOAD_UNKNOWN_KEY',
] as const;
export type LoadWarningCode = (typeof WARNING_CODES)[number];

/** One-line meaning of each error code (Falco prints this as `codedesc` and in summaries). */
export const ERROR_TEXT: Readonly<Record<LoadErrorCode, string>> = {
  LOAD_ERR_FILE_READ: 'File read error',
  LOAD_ERR_YAML_PARSE: 'YAML parse error',
  LOAD_ERR_YAML_VALIDATE: 'Error validating internal structure of YAML file',
  LOAD_ERR_COMPILE_CONDITION: 'Error compiling condition',
  LOAD_ERR_COMPILE_OUTPUT: 'Error compiling output',
  LOAD_ERR_VALIDATE: 'Error validating rule/macro/list/exception objects',
  LOAD_ERR_EXTENSION: 'Error in extension item',
};

/** One-line meaning of each warning code. */
export const WARNING_TEXT: Readonly<Record<LoadWarningCode, string>> = {
  LOAD_UNKNOWN_SOURCE: 'Unknown event source',
  LOAD_UNSAFE_NA_CHECK: 'Unsafe <NA> comparison in condition',
  LOAD_NO_EVTTYPE: 'Condition has no event-type restriction',
  LOAD_UNKNOWN_FILTER: 'Unknown field or event-type in condition or output',
  LOAD_UNUSED_MACRO: 'Unused macro',
  LOAD_UNUSED_LIST: 'Unused list',
  LOAD_UNKNOWN_ITEM: 'Unknown rules file item',
  LOAD_DEPRECATED_ITEM: 'Used deprecated item',
  LOAD_WARNING_EXTENSION: 'Warning in extension item',
  LOAD_APPEND_NO_VALUES: 'Overriding/appending with no values',
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: 'Multiple exceptions defined with the same name',
  LOAD_INVALID_MACRO_NAME: 'Invalid macro name',
  LOAD_INVALID_LIST_NAME: 'Invalid list name',
  LOAD_COMPILE_CONDITION: 'Warning in rule condition',
  LOAD_UNKNOWN_KEY: 'Unknown key in item definition',
};

/**
 * Long description of each warning code, Falco's `codedesc` for warnings. (For errors Falco's
 * `codedesc` is the short text in `ERROR_TEXT`.)
 */
export const WARNING_DESCRIPTION: Readonly<Record<LoadWarningCode, string>> = {
  LOAD_UNKNOWN_SOURCE:
    'A rule has a unknown event source. This can occur when reading rules content without having a corresponding plugin loaded, etc. The rule will be silently ignored.',
  LOAD_UNSAFE_NA_CHECK:
    "Comparing a field value with <NA> is unsafe and can lead to unpredictable behavior of the rule condition. If you need to check for the existence of a field, consider using the 'exists' operator instead.",
  LOAD_NO_EVTTYPE:
    'A rule condition matches too many evt.type values. This has a significant performance penalty. Make the condition more specific by adding an evt.type field or further restricting the number of evt.type values in the condition.',
  LOAD_UNKNOWN_FILTER:
    'A rule condition or output refers to a field or evt.type that does not exist. This is normally an error, but if a rule has a skip-if-unknown-filter property, the error is downgraded to a warning.',
  LOAD_UNUSED_MACRO: 'A macro is defined in the rules content but is not used by any other macro or rule.',
  LOAD_UNUSED_LIST: 'A list is defined in the rules content but is not used by any other list, macro, or rule.',
  LOAD_UNKNOWN_ITEM: 'An unknown top-level object is in the rules content. It will be ignored.',
  LOAD_DEPRECATED_ITEM: 'A deprecated item is employed by lists, macros, or rules.',
  LOAD_WARNING_EXTENSION: 'An extension item has a warning',
  LOAD_APPEND_NO_VALUES: 'A rule exception is overriding/appending with no values',
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: 'A rule is defining multiple exceptions with the same name',
  LOAD_INVALID_MACRO_NAME: 'A macro is defined with an invalid name',
  LOAD_INVALID_LIST_NAME: 'A list is defined with an invalid name',
  LOAD_COMPILE_CONDITION: 'A rule condition or output have been parsed with a warning',
  LOAD_UNKNOWN_KEY:
    'An item in the rules content contains an unrecognized key. The key will be ignored. This may indicate a typo or a property placed on the wrong item type.',
};

/** Item types a diagnostic location can name, as Falco spells them. */
export type ItemType =
  | 'value for'
  | 'exceptions'
  | 'exception'
  | 'exception values'
  | 'exception value'
  | 'rules content'
  | 'rules content item'
  | 'required_engine_version'
  | 'required plugin versions'
  | 'required plugin versions entry'
  | 'required plugin versions alternative'
  | 'list'
  | 'list item'
  | 'macro'
  | 'macro condition'
  | 'rule'
  | 'rule condition'
  | 'condition expression'
  | 'rule output'
  | 'rule output expression'
  | 'rule priority'
  | 'overrides'
  | 'extension item';

export const MSG = {
  appendDeprecated: "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.",
  enabledDeprecated:
    "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').",
  overrideAndAppend:
    "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.",
  noPreviousMacro: "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists",
  noPreviousList: "List uses 'append' or 'override.items: append' but no list by that name already exists",
  noPreviousRuleAppend: "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists",
  noPreviousRuleReplace: "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists",
  noEvttype: 'Rule matches too many evt.type values. This has a significant performance penalty.',
  unusedMacro: 'Macro not referred to by any other rule/macro',
  unusedList: 'List not referred to by any other rule/macro',
  containerInfoDeprecated:
    '%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The container plugin will automatically add required fields to the output message.',
} as const;

/** Fields Falco 0.42+ flags as deprecated, with the reason it gives. */
export const DEPRECATED_FIELDS: ReadonlyMap<string, string> = new Map([
  [
    'evt.dir',
    "due to the drop of enter events, 'evt.dir = <' always evaluates to true, and 'evt.dir = >' always evaluates to false. The rule expression can be simplified by removing the condition on 'evt.dir'",
  ],
  ['evt.latency', 'field is not available due to the drop of enter events.'],
  ['evt.latency.s', 'field is not available due to the drop of enter events.'],
  ['evt.latency.ns', 'field is not available due to the drop of enter events.'],
  ['evt.latency.human', 'field is not available due to the drop of enter events.'],
  ['evt.wait_latency', 'field is not available due to the drop of enter events.'],
]);
