/** The `<option>`s of every tenant picker: an optional "all" entry (value ""), then each tenant by name. */
export function TenantOptions({ tenants, allLabel }: { tenants: { id: string; name: string }[]; allLabel?: string }) {
  return (
    <>
      {allLabel ? <option value="">{allLabel}</option> : null}
      {tenants.map((t) => (
        <option key={t.id} value={t.id}>
          {t.name}
        </option>
      ))}
    </>
  );
}
