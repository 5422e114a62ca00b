/** The lab's release, as package.json says (a test checks they agree); written into exported models. */
export const LAB_VERSION = '0.1.0';
