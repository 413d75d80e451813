/**
 * Contact data rules: which emails name the same person, which are throwaway, and phone numbers in
 * E.164. Pure functions.
 */

export interface IdentityRules {
  gmailDots: boolean;
  plusTags: boolean;
}

const GMAIL = new Set(["gmail.com", "googlemail.com"]);

/**
 * The form of an (already lower-cased, trimmed) address used to recognise one person: Gmail's dots
 * and `+tags` removed when the site says so. Only the dedupe key uses it; the lead keeps what was typed.
 */
export function canonicalEmail(email: string, rules: IdentityRules): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return email;
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  if (rules.plusTags) local = local.replace(/\+.*$/, "") || local;
  if (GMAIL.has(domain)) {
    domain = "gmail.com";
    if (rules.gmailDots) local = local.replaceAll(".", "");
  }
  return `${local}@${domain}`;
}

/** Well-known disposable-mail domains (and their subdomains). */
const DISPOSABLE = new Set(
  (
    "mailinator.com mailinator.net mailinator2.com notmailinator.com guerrillamail.com guerrillamail.net " +
    "guerrillamail.org guerrillamailblock.com grr.la sharklasers.com pokemail.net spam4.me 10minutemail.com " +
    "10minutemail.net tempmail.com temp-mail.org temp-mail.io tempmailo.com tempail.com tempr.email tempinbox.com " +
    "temporaryemail.net tempemail.net tmpmail.org tmpmail.net emltmp.com yopmail.com yopmail.fr yopmail.net " +
    "cool.fr.nf jetable.org jetable.fr.nf trashmail.com trashmail.de trash-mail.com getnada.com dispostable.com " +
    "maildrop.cc throwawaymail.com fakeinbox.com fakemail.net mintemail.com mohmal.com emailondeck.com " +
    "spamgourmet.com mailnesia.com discard.email mailcatch.com moakt.com burnermail.io inboxkitten.com " +
    "emailfake.com crazymailing.com mytemp.email spambox.us trbvm.com mail-temp.com tmail.ws dropmail.me " +
    "1secmail.com 1secmail.net 1secmail.org mailpoof.com binkmail.com bobmail.info chammy.info devnullmail.com " +
    "letthemeatspam.com mailinater.com reallymymail.com sogetthis.com spamherelots.com thisisnotmyrealemail.com " +
    "tradermail.info veryrealemail.com zippymail.info mailexpire.com incognitomail.org mailnull.com spamex.com " +
    "wegwerfmail.de wegwerfmail.net einrot.com sofort-mail.de spoofmail.de byom.de emailtemporanea.net " +
    "correotemporal.org mailforspam.com harakirimail.com anonbox.net spambog.com mvrht.net armyspy.com " +
    "cuvox.de dayrep.com einrot.de fleckens.hu gustr.com jourrapide.com rhyta.com superrito.com teleworm.us"
  ).split(" "),
);

export function isDisposableDomain(domain: string): boolean {
  const parts = domain.toLowerCase().split(".");
  for (let i = 0; i < parts.length - 1; i++) if (DISPOSABLE.has(parts.slice(i).join("."))) return true;
  return false;
}

/** Calling codes, and whether the national format starts with a trunk `0` that E.164 drops. */
const COUNTRIES: Record<string, { code: string; trunk0: boolean }> = {
  US: { code: "1", trunk0: false },
  CA: { code: "1", trunk0: false },
  GB: { code: "44", trunk0: true },
  DE: { code: "49", trunk0: true },
  FR: { code: "33", trunk0: true },
  ES: { code: "34", trunk0: false },
  IT: { code: "39", trunk0: false },
  NL: { code: "31", trunk0: true },
  BE: { code: "32", trunk0: true },
  CH: { code: "41", trunk0: true },
  AT: { code: "43", trunk0: true },
  IE: { code: "353", trunk0: true },
  PT: { code: "351", trunk0: false },
  SE: { code: "46", trunk0: true },
  NO: { code: "47", trunk0: false },
  DK: { code: "45", trunk0: false },
  FI: { code: "358", trunk0: true },
  PL: { code: "48", trunk0: false },
  CZ: { code: "420", trunk0: false },
  GR: { code: "30", trunk0: false },
  HU: { code: "36", trunk0: false },
  RO: { code: "40", trunk0: true },
  AU: { code: "61", trunk0: true },
  NZ: { code: "64", trunk0: true },
  JP: { code: "81", trunk0: true },
  KR: { code: "82", trunk0: true },
  CN: { code: "86", trunk0: true },
  IN: { code: "91", trunk0: true },
  SG: { code: "65", trunk0: false },
  HK: { code: "852", trunk0: false },
  BR: { code: "55", trunk0: true },
  MX: { code: "52", trunk0: false },
  AR: { code: "54", trunk0: true },
  ZA: { code: "27", trunk0: true },
  IL: { code: "972", trunk0: true },
  AE: { code: "971", trunk0: true },
  TR: { code: "90", trunk0: true },
  UA: { code: "380", trunk0: true },
  LU: { code: "352", trunk0: false },
};

/**
 * E.164 (`+` and 8–15 digits) from what a visitor typed: international forms (`+…`, `00…`) as they
 * are, national forms with the field's country. Undefined when it cannot tell.
 */
export function toE164(input: string, country: string | undefined): string | undefined {
  const trimmed = input.trim();
  let digits = trimmed.replace(/[^\d]/g, "");
  let international = trimmed.startsWith("+");
  if (!international && digits.startsWith("00")) {
    digits = digits.slice(2);
    international = true;
  }
  if (!international) {
    const rules = country ? COUNTRIES[country] : undefined;
    if (!rules) return undefined;
    if (rules.code === "1" && digits.length === 11 && digits.startsWith("1")) digits = digits.slice(1);
    else if (rules.trunk0 && digits.startsWith("0")) digits = digits.slice(1);
    digits = rules.code + digits;
  }
  return digits.length >= 8 && digits.length <= 15 && !digits.startsWith("0") ? `+${digits}` : undefined;
}
