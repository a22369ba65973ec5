import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { scimFixture } from "./fixtures/scim-tenant";

// A whole Entra provisioning cycle replayed over HTTP against the production server, once in
// the legacy shapes (no feature flag) and once with aadOptscim062020.
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const MS_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group";

type Mode = "legacy" | "aadOptscim062020";

function client(request: APIRequestContext) {
  const { tenantId, token } = scimFixture();
  const base = `/scim/v2/${tenantId}`;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/scim+json" };
  return {
    get: (path: string) => request.get(`${base}${path}`, { headers }),
    post: (path: string, data: unknown) => request.post(`${base}${path}`, { headers, data }),
    patch: (path: string, data: unknown) => request.patch(`${base}${path}`, { headers, data }),
    delete: (path: string) => request.delete(`${base}${path}`, { headers }),
  };
}

const op = (mode: Mode, name: "Add" | "Replace" | "Remove") => (mode === "legacy" ? name : name.toLowerCase());
const bool = (mode: Mode, value: boolean) => (mode === "legacy" ? (value ? "True" : "False") : value);

for (const mode of ["legacy", "aadOptscim062020"] as const) {
  test(`Entra provisioning cycle (${mode})`, async ({ request }) => {
    const scim = client(request);
    const suffix = randomUUID().slice(0, 8);
    const filter = (f: string) => `filter=${encodeURIComponent(f)}`;

    // Test Connection: a random GUID userName → 200, empty list.
    const probe = await scim.get(`/Users?${filter(`userName eq "${randomUUID()}"`)}`);
    expect(probe.status()).toBe(200);
    expect(probe.headers()["content-type"]).toContain("application/scim+json");
    expect(await probe.json()).toMatchObject({ totalResults: 0, Resources: [] });

    // Match, then create three users with Entra's full body.
    const ids: Record<string, string> = {};
    for (const who of ["manager", "alice", "bob"]) {
      const userName = `${who}.${suffix}@contoso.example`;
      const match = await scim.get(`/Users?${filter(`userName eq "${userName}"`)}`);
      expect((await match.json()).totalResults).toBe(0);
      const created = await scim.post("/Users", {
        schemas: [USER, ENTERPRISE],
        externalId: randomUUID(),
        userName,
        active: true,
        displayName: `${who} ${suffix}`,
        emails: [{ primary: true, type: "work", value: userName }],
        meta: { resourceType: "User" },
        name: { formatted: `${who} ${suffix}`, familyName: suffix, givenName: who },
        roles: [],
        [ENTERPRISE]: { department: "Sales", employeeNumber: `${who}-1` },
      });
      expect(created.status()).toBe(201);
      const body = await created.json();
      expect(created.headers()["location"]).toBe(body.meta.location);
      ids[who] = body.id;
    }

    // Updates through each documented path form.
    const alice = `/Users/${ids.alice}`;
    const updates =
      mode === "legacy"
        ? [
            { op: "Replace", path: 'emails[type eq "work"].value', value: `alice.new.${suffix}@contoso.example` },
            { op: "Replace", path: "name.givenName", value: "Alicia" },
            { op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0100" },
            { op: "Add", path: 'addresses[type eq "work"].postalCode', value: "98052" },
            { op: "Replace", path: `${ENTERPRISE}:department`, value: "Marketing" },
          ]
        : [
            {
              op: "replace",
              value: {
                'emails[type eq "work"].value': `alice.new.${suffix}@contoso.example`,
                "name.givenName": "Alicia",
                'phoneNumbers[type eq "mobile"].value': "+1 555 0100",
                'addresses[type eq "work"].postalCode': "98052",
                [`${ENTERPRISE}:department`]: "Marketing",
              },
            },
          ];
    const updated = await scim.patch(alice, { schemas: [PATCH], Operations: updates });
    expect(updated.status()).toBe(200);
    const afterUpdate = await (await scim.get(alice)).json();
    expect(afterUpdate.name.givenName).toBe("Alicia");
    expect(afterUpdate.emails.find((e: { type: string }) => e.type === "work").value).toBe(`alice.new.${suffix}@contoso.example`);
    expect(afterUpdate.phoneNumbers).toEqual([expect.objectContaining({ type: "mobile", value: "+1 555 0100" })]);
    expect(afterUpdate.addresses).toEqual([expect.objectContaining({ type: "work", postalCode: "98052" })]);
    expect(afterUpdate[ENTERPRISE].department).toBe("Marketing");
    const byEmail = await scim.get(`/Users?${filter(`emails[type eq "work"].value eq "alice.new.${suffix}@contoso.example"`)}`);
    expect((await byEmail.json()).Resources[0].id).toBe(ids.alice);

    // Deactivate and reactivate; the inactive user stays retrievable and filterable.
    const off = await scim.patch(alice, { schemas: [PATCH], Operations: [{ op: op(mode, "Replace"), path: "active", value: bool(mode, false) }] });
    expect((await off.json()).active).toBe(false);
    const inactive = await scim.get(`/Users?${filter(`userName eq "alice.${suffix}@contoso.example"`)}`);
    expect((await inactive.json()).Resources[0].active).toBe(false);
    const on = await scim.patch(alice, { schemas: [PATCH], Operations: [{ op: op(mode, "Replace"), path: "active", value: bool(mode, true) }] });
    expect((await on.json()).active).toBe(true);

    // Manager set and removed.
    const managerValue = mode === "legacy" ? ids.manager : { value: ids.manager };
    const withManager = await scim.patch(alice, { schemas: [PATCH], Operations: [{ op: op(mode, "Add"), path: `${ENTERPRISE}:manager`, value: managerValue }] });
    expect((await withManager.json())[ENTERPRISE].manager.value).toBe(ids.manager);
    const noManager = await scim.patch(alice, { schemas: [PATCH], Operations: [{ op: op(mode, "Remove"), path: `${ENTERPRISE}:manager` }] });
    expect((await noManager.json())[ENTERPRISE].manager).toBeUndefined();

    // Groups: match without members, create with Entra's extra schema, add several members.
    const displayName = `Sales ${suffix}`;
    const groupMatch = await scim.get(`/Groups?excludedAttributes=members&${filter(`displayName eq "${displayName}"`)}`);
    expect((await groupMatch.json()).totalResults).toBe(0);
    const group = await scim.post("/Groups", { schemas: [GROUP, MS_GROUP], externalId: randomUUID(), displayName, members: [] });
    expect(group.status()).toBe(201);
    const groupId = (await group.json()).id as string;
    const add = await scim.patch(`/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: op(mode, "Add"), path: "members", value: [ids.manager, ids.alice, ids.bob].map((value) => ({ value })) }],
    });
    expect(add.status()).toBe(204);
    const members = async () =>
      (((await (await scim.get(`/Groups/${groupId}`)).json()).members ?? []) as { value: string }[]).map((m) => m.value).sort();
    expect(await members()).toEqual([ids.manager, ids.alice, ids.bob].sort());

    // Remove one member in this mode's shape: only that member leaves.
    const removal =
      mode === "legacy"
        ? { op: "Remove", path: "members", value: [{ value: ids.bob }] }
        : { op: "remove", path: `members[value eq "${ids.bob}"]` };
    expect((await scim.patch(`/Groups/${groupId}`, { schemas: [PATCH], Operations: [removal] })).status()).toBe(204);
    expect(await members()).toEqual([ids.manager, ids.alice].sort());

    // Rename, then delete the user and the group.
    const rename = await scim.patch(`/Groups/${groupId}`, { schemas: [PATCH], Operations: [{ op: op(mode, "Replace"), path: "displayName", value: `${displayName} EMEA` }] });
    expect(rename.status()).toBe(204);
    expect((await (await scim.get(`/Groups/${groupId}`)).json()).displayName).toBe(`${displayName} EMEA`);
    expect((await scim.delete(`/Users/${ids.bob}`)).status()).toBe(204);
    expect((await scim.get(`/Users/${ids.bob}`)).status()).toBe(404);
    expect((await scim.delete(`/Groups/${groupId}`)).status()).toBe(204);
    expect((await scim.get(`/Groups/${groupId}`)).status()).toBe(404);
  });
}

test("every bad token gets 401 with an RFC 7644 error body", async ({ request }) => {
  const { tenantId, token } = scimFixture();
  const url = `/scim/v2/${tenantId}/ServiceProviderConfig`;
  const ok = await request.get(url, { headers: { authorization: `Bearer ${token}` } });
  expect(ok.status()).toBe(200);
  const cases: Record<string, Record<string, string>> = {
    missing: {},
    wrong: { authorization: `Bearer ${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}` },
    notBearer: { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` },
  };
  for (const [name, headers] of Object.entries(cases)) {
    const res = await request.get(url, { headers });
    expect(res.status(), name).toBe(401);
    expect(res.headers()["content-type"]).toContain("application/scim+json");
    expect(await res.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
  }
  const otherTenant = await request.get(`/scim/v2/${randomUUID()}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}` } });
  expect(otherTenant.status()).toBe(401);
});
