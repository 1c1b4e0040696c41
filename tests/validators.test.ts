import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkIpRule, cidrContains, parseCidr } from "../infra/core/ipRanges";
import { principalTypeFromToken } from "../infra/access/deployer";
import { vnetIdOfSubnet } from "../infra/core/naming";
import { AzureRegions, checkAzureRegion, checkCustomSubdomain, checkGuid, checkResourceId } from "../infra/core/validators";

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

describe("checkIpRule as whole ranges", () => {
    it("refuses every rule that touches non-public space, naming the space", () => {
        for (const [rule, space] of [
            ["0.1.2.3", "reserved \\('this network'\\)"],
            ["100.64.0.1", "carrier-grade NAT"],
            ["100.0.0.0/8", "carrier-grade NAT"],
            ["127.0.0.1", "loopback"],
            ["169.254.169.254", "link-local"],
            ["172.0.0.0/8", "private \\(RFC 1918\\)"],
            ["224.0.0.0/8", "multicast"],
            ["255.255.255.255", "reserved range \\(including broadcast\\)"],
        ]) {
            assert.match(checkIpRule(rule) ?? "", new RegExp(`^(is|overlaps) a ${space}`), rule);
        }
    });
    it("says whether a rule lies inside non-public space or only overlaps it", () => {
        assert.match(checkIpRule("10.1.0.0/16") ?? "", /^is a private/);
        assert.match(checkIpRule("172.0.0.0/8") ?? "", /^overlaps a private/);
    });
    it("refuses rules so wide they are public access, and says how to open access honestly", () => {
        for (const rule of ["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "0.0.0.0/4", "8.0.0.0/7"]) {
            assert.match(checkIpRule(rule) ?? "", /public access in all but name\. To open the account to everyone say so: network\.defaultAction: Allow with no ipRules/, rule);
        }
        assert.match(checkIpRule("0.0.0.0") ?? "", /^reads as "any address" but is one reserved address/);
        assert.equal(checkIpRule("8.0.0.0/8"), undefined, "a public /8 is the widest rule allowed");
    });
    it("refuses /31 and /32 blocks, which Azure does not accept, and shows the address form", () => {
        assert.equal(checkIpRule("203.0.113.10/32"), "is a /32 block, which Azure does not accept; write the address without a prefix (e.g. 203.0.113.10)");
        assert.match(checkIpRule("203.0.113.10/31") ?? "", /^is a \/31 block/);
        assert.equal(checkIpRule("203.0.113.8/30"), undefined);
    });
});

describe("placeholders and regions", () => {
    it("refuses the all-zero GUID as a principal and as a subscription in a resource id", () => {
        assert.match(checkGuid("00000000-0000-0000-0000-000000000000") ?? "", /^is the all-zero placeholder GUID/);
        const subnet = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s";
        assert.match(checkResourceId(subnet, "subnet") ?? "", /^names the all-zero placeholder subscription/);
        assert.match(checkResourceId(subnet.replace("00000000-0000-0000-0000-000000000000", "not-a-guid-at-all-but-thirty-six-ch"), "subnet") ?? "", /^must be a resource id/);
    });
    it("knows Azure's public regions from one sorted list", () => {
        assert.equal(checkAzureRegion("swedencentral"), undefined);
        assert.match(checkAzureRegion("eastus3") ?? "", /^is not a region of the Azure public cloud/);
        assert.deepEqual([...AzureRegions].sort(), AzureRegions, "kept sorted, so additions are easy to review");
        assert.equal(new Set(AzureRegions).size, AzureRegions.length);
    });
});

describe("the deployer's principal type, from its login's token", () => {
    const token = (claims: Record<string, unknown>) => `${Buffer.from("{}").toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

    it("a delegated token (scp) is a user's; an app-only one a service principal's or managed identity's", () => {
        assert.equal(principalTypeFromToken(token({ scp: "user_impersonation", appid: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", idtyp: "user" })), "User");
        assert.equal(principalTypeFromToken(token({ appid: "3f2c8a61-5d4e-4b7a-9c1e-2a6b8d0f4e13", idtyp: "app" })), "ServicePrincipal");
        assert.equal(principalTypeFromToken(token({ azp: "3f2c8a61-5d4e-4b7a-9c1e-2a6b8d0f4e13" })), "ServicePrincipal");
    });

    it("an unreadable token is an error that names the setting, never a guess", () => {
        for (const bad of ["not-a-jwt", token({}), `x.${Buffer.from("[1,2]").toString("base64url")}.y`]) {
            assert.throws(() => principalTypeFromToken(bad), /set aoai:deployerPrincipalType to User or ServicePrincipal/);
        }
    });
});
