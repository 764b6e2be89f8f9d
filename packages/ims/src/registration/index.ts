export {
  type RegisterRequest,
  type RegisterRejection,
  identityOf,
  impiOf,
  readRegister,
  isDeregistration,
} from "./register-request.js";
