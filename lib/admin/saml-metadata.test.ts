import { describe, expect, it } from "vitest";
import { importSamlMetadataFromUrl, METADATA_FETCH_FAILED } from "./saml-metadata";

// The metadata URL import goes through lib/net/outbound.ts: the same rules as OIDC discovery.
describe("SAML metadata import from a URL", () => {
  it("refuses plain http, loopback and private addresses, and says one thing when the fetch fails", async () => {
    expect(await importSamlMetadataFromUrl("not a url")).toMatchObject({ ok: false, error: expect.stringContaining("full URL") });
    expect(await importSamlMetadataFromUrl("http://idp.example.com/metadata.xml")).toMatchObject({ ok: false, error: expect.stringContaining("https://") });
    expect(await importSamlMetadataFromUrl("https://127.0.0.1/metadata.xml")).toMatchObject({ ok: false });
    expect(await importSamlMetadataFromUrl("https://169.254.169.254/latest/meta-data")).toMatchObject({ ok: false });
    expect(await importSamlMetadataFromUrl("https://10.0.0.1/metadata.xml")).toMatchObject({ ok: false });
    // A name that resolves nowhere (or to a refused address) fails in the guarded client, with the one message.
    expect(await importSamlMetadataFromUrl("https://metadata.invalid/federationmetadata.xml")).toEqual({ ok: false, error: METADATA_FETCH_FAILED });
  });
});
