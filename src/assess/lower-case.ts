/** Nothing lower-casing changes: no ASCII capital letter, and no character beyond ASCII. */
const OWN_LOWER_CASE = /^[^A-Z\u0080-\uffff]*$/;

/**
 * `text.toLowerCase()`, but `text` itself where that would be an equal copy (toLowerCase always
 * copies). Ids and UPNs are mostly lower case already, and a large tenant's assessment would otherwise
 * copy hundreds of thousands of them, most into maps that live as long as it does.
 */
export function lowerCase(text: string): string {
  return OWN_LOWER_CASE.test(text) ? text : text.toLowerCase();
}
