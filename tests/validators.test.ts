import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkIpRule, cidrContains, parseCidr } from "../infra/ipRanges";
import { vnetIdOfSubnet } from "../infra/naming";
import { checkCustomSubdomain, checkGuid, checkResourceId } from "../infra/validators";

describe("checkCustomSubdomain", () => {
    it("accepts Azure's shape at both length limits", () => {
        for (const ok of ["ab", "contoso-prod-1a2b3c4d", "a".repeat(64), "0a-9"]) {
            assert.equal(checkCustomSubdomain(ok), undefined, ok);
        }
    });
    it("names the rule that is broken", () => {
        assert.equal(checkCustomSubdomain("a"), "must be 2-64 characters long (it is 1)");
        assert.equal(checkCustomSubdomain("a_b"), "may contain only lowercase letters, digits and hyphens");
        assert.equal(checkCustomSubdomain("ab-"), "must start and end with a lowercase letter or digit");
    });
});

describe("parseCidr", () => {
    it("parses canonical blocks", () => {
        assert.deepEqual(parseCidr("10.20.0.0/24"), { network: 0x0a140000, prefixLength: 24 });
        assert.deepEqual(parseCidr("0.0.0.0/0"), { network: 0, prefixLength: 0 });
    });
    it("rejects malformed blocks and says where a misaligned one starts", () => {
        for (const bad of ["10.20.0.0", "10.20.0.0/33", "10.20.0/24", "256.0.0.0/8", "10.020.0.0/16", "a.b.c.d/8", "10.0.0.0/"]) {
            assert.equal(parseCidr(bad), "must be an IPv4 CIDR block such as 10.20.0.0/24", bad);
        }
        assert.equal(parseCidr("10.20.0.5/24"), "has host bits set; the block starts at 10.20.0.0/24");
    });
    it("knows containment", () => {
        const outer = parseCidr("10.20.0.0/24") as { network: number; prefixLength: number };
        assert.equal(cidrContains(outer, parseCidr("10.20.0.128/25") as never), true);
        assert.equal(cidrContains(outer, parseCidr("10.20.1.0/28") as never), false);
        assert.equal(cidrContains(outer, parseCidr("10.20.0.0/16") as never), false);
    });
});

describe("checkIpRule", () => {
    it("accepts public addresses and blocks", () => {
        assert.equal(checkIpRule("203.0.113.10"), undefined);
        assert.equal(checkIpRule("198.51.100.0/24"), undefined);
    });
    it("refuses private ranges, which Azure does not accept in IP rules", () => {
        for (const rfc1918 of ["10.1.2.3", "172.16.0.0/12", "172.31.255.255", "192.168.1.0/24"]) {
            assert.match(checkIpRule(rfc1918) ?? "", /^is a private \(RFC 1918\) range/, rfc1918);
        }
        assert.equal(checkIpRule("172.32.0.1"), undefined, "just outside 172.16/12 is public");
    });
    it("refuses garbage", () => {
        assert.equal(checkIpRule("my-office"), "must be a public IPv4 address such as 203.0.113.10 or a CIDR block such as 203.0.113.0/24");
        assert.equal(checkIpRule("203.0.113.1/24"), "has host bits set; the block starts at 203.0.113.0/24");
    });
});

describe("checkGuid and checkResourceId", () => {
    it("accepts GUIDs in either case and refuses anything else", () => {
        assert.equal(checkGuid("7c9e6679-7425-40de-944b-e07fc1f90ae7"), undefined);
        assert.equal(checkGuid("7C9E6679-7425-40DE-944B-E07FC1F90AE7"), undefined);
        assert.match(checkGuid("user@contoso.com") ?? "", /^must be a GUID/);
        assert.match(checkGuid("7c9e6679742540de944be07fc1f90ae7") ?? "", /^must be a GUID/);
    });
    it("checks the provider and type segments of resource ids", () => {
        const subnet = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s";
        assert.equal(checkResourceId(subnet, "subnet"), undefined);
        assert.equal(checkResourceId(subnet.toLowerCase(), "subnet"), undefined, "ARM ids are case-insensitive");
        assert.match(checkResourceId(subnet.replace("/subnets/s", ""), "subnet") ?? "", /^must be a resource id of the form/);
        assert.match(checkResourceId(subnet, "privateDnsZone") ?? "", /privateDnsZones/);
        assert.equal(vnetIdOfSubnet(subnet), "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v");
    });
});
