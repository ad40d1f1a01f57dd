/** rtnetlink (NETLINK_ROUTE) messages: the wire codec behind linklab's Linux interface, address,
 * route and neighbour adapters. */
export * from './constants.js';
export { decode, decodeAll, encode, encodeAll, encodingLength, kindOfType } from './message.js';
export type { RtnlMessage, RtnlMessageInput, OtherMessage, OtherMessageInput } from './message.js';
export type { NlHeader, NlHeaderInput } from './header.js';
export type { LinkMessage, LinkMessageInput } from './link.js';
export type { AddressMessage, AddressMessageInput } from './address.js';
export type { NeighborMessage, NeighborMessageInput } from './neighbor.js';
export type { RouteMessage, RouteMessageInput } from './route.js';
export type { ErrorMessage, ErrorMessageInput, DoneMessage, DoneMessageInput, ExtAck } from './error.js';
export type { RawAttribute, IpValue } from './attributes.js';
export { HEADER_LENGTH } from './header.js';
