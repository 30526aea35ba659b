/**
 * Colours for the parts of a line worth telling apart at a glance. Each
 * function wraps already-final text and must not change it (stripping the
 * escape sequences gives the plain line). Printers hold `null` when not
 * colouring, so the plain path makes no calls at all.
 */
export interface LinePalette {
  timestamp(text: string): string;
  /** An endpoint: address, or address.port. */
  endpoint(text: string): string;
  /** TCP flags text such as "S." by the flag bits (SYN, FIN, RST stand out). */
  tcpFlags(text: string, flags: number): string;
  /** ESP / AH headers: the IPsec part of a line. */
  ipsec(text: string): string;
  /** Truncation markers and "bad ..." complaints. */
  problem(text: string): string;
}
