/** Link-layer header types of pcap and pcapng files (tcpdump.org/linktypes.html). */
export const LINKTYPE_ETHERNET = 1;
/** Raw IP: the version nibble says IPv4 or IPv6. */
export const LINKTYPE_RAW = 101;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
