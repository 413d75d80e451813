import { describe, expect, it } from "vitest";
import { canonicalEmail, isDisposableDomain, toE164 } from "../../edge/src/pipeline/contact.ts";

describe("canonicalEmail", () => {
  const both = { gmailDots: true, plusTags: true };
  it.each([
    ["ada.lovelace+news@gmail.com", both, "adalovelace@gmail.com"],
    ["a.d.a@googlemail.com", both, "ada@gmail.com"],
    ["ada.lovelace+news@acme.com", both, "ada.lovelace@acme.com"],
    ["ada.lovelace+news@gmail.com", { gmailDots: false, plusTags: false }, "ada.lovelace+news@gmail.com"],
    ["ada.lovelace+news@gmail.com", { gmailDots: true, plusTags: false }, "adalovelace+news@gmail.com"],
    ["+only@acme.com", both, "+only@acme.com"],
  ])("%s with %o → %s", (email, rules, expected) => {
    expect(canonicalEmail(email, rules)).toBe(expected);
  });
});

describe("isDisposableDomain", () => {
  it("knows throwaway domains and their subdomains, and nothing else", () => {
    expect(isDisposableDomain("mailinator.com")).toBe(true);
    expect(isDisposableDomain("eu.mailinator.com")).toBe(true);
    expect(isDisposableDomain("YOPMAIL.com")).toBe(true);
    expect(isDisposableDomain("acme.com")).toBe(false);
    expect(isDisposableDomain("gmail.com")).toBe(false);
    expect(isDisposableDomain("notmailinator.com.example")).toBe(false);
  });
});

describe("toE164", () => {
  it.each([
    ["+44 20 7946 0958", undefined, "+442079460958"],
    ["0044 20 7946 0958", undefined, "+442079460958"],
    ["020 7946 0958", "GB", "+442079460958"],
    ["(415) 555-2671", "US", "+14155552671"],
    ["1-415-555-2671", "US", "+14155552671"],
    ["030 1234567", "DE", "+49301234567"],
    ["06 12 34 56 78", "FR", "+33612345678"],
    ["02 1234 5678", "IT", "+390212345678"],
  ])("%s (%s) → %s", (input, country, expected) => {
    expect(toE164(input, country)).toBe(expected);
  });

  it("gives up rather than guess", () => {
    expect(toE164("020 7946 0958", undefined)).toBeUndefined();
    expect(toE164("12", "GB")).toBeUndefined();
    expect(toE164("0123", "ZZ")).toBeUndefined();
  });
});
