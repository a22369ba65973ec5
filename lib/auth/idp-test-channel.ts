/**
 * The browser channel a finished "Test sign-in" tab announces itself on, so the identity
 * provider's page that opened it shows the new result without a reload.
 */
export const IDP_TEST_CHANNEL = "gatehouse:idp-test";

export type IdpTestAnnouncement = { idpId: string; testedAt: string | null };

export function isIdpTestAnnouncement(data: unknown): data is IdpTestAnnouncement {
  return typeof data === "object" && data !== null && typeof (data as { idpId?: unknown }).idpId === "string";
}
