export {
  type RegisterRequest,
  type RegisterRejection,
  identityOf,
  identityOfUri,
  identityOfParsedUri,
  impiOf,
  readRegister,
  isDeregistration,
} from "./register-request.js";
