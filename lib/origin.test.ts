import { describe, expect, it } from "vitest";
import { originFromHeaders } from "./origin";

describe("the public origin of a request", () => {
  it("prefers the nearest proxy's forwarded host and protocol", () => {
    const headers = new Headers({ host: "internal:3000", "x-forwarded-host": "id.example.com, proxy.internal", "x-forwarded-proto": "https, http" });
    expect(originFromHeaders(headers, "http://internal:3000/scim/v2/x")).toBe("https://id.example.com");
  });

  it("falls back to the Host header and the request URL's protocol", () => {
    expect(originFromHeaders(new Headers({ host: "127.0.0.1:4000" }), "http://localhost:4000/login")).toBe("http://127.0.0.1:4000");
    expect(originFromHeaders(new Headers(), "https://app.example.com/x")).toBe("https://app.example.com");
    expect(originFromHeaders(new Headers({ host: "a.example" }))).toBe("http://a.example");
  });
});
