export type { CodeType, CodeVerdict } from './verdict.js';
export { checkUscc, usccCheckCharacter, divisionOfUscc, organizationCodeOfUscc, USCC_PLACEHOLDER } from './uscc.js';
export { checkOrganizationCode, organizationCodeCheckCharacter } from './organization-code.js';
export { checkRegistrationNumber, registrationNumberCheckDigit } from './registration-number.js';
export { checkResidentId, residentIdCheckCharacter } from './resident-id.js';
export { checkAnyCode } from './any-code.js';
export { KNOWN_EXCEPTIONS } from './known-exceptions.js';
export { knownDivision, knownProvince } from './divisions.js';

