#!/usr/bin/env python3
"""Checks an exported Fondi ledger (`fondi esporta > registro.jsonl`) without Fondi: an auditor's script.

DOMAIN §6: hash(n) = SHA-256(hash(n-1) || canonical bytes of event n), hash(0) = 32 zero bytes; the
canonical bytes are the exported object without "hash", as JSON with sorted keys, no whitespace, UTF-8
(RFC 8785; all numbers are integers, and every key is ASCII, so Python's sort order is RFC 8785's).

Usage: Scripts/verifica-esportazione.py registro.jsonl [--digest HEX]
Exit 0 when the chain holds (and, with --digest, contains that hash); 1 otherwise, naming the first bad seq.
"""
import hashlib
import json
import sys


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    digest = argv[argv.index("--digest") + 1].lower() if "--digest" in argv else None
    precedente = bytes(32)
    atteso = 1
    trovato = None
    with open(argv[1], encoding="utf-8") as f:
        for riga in f:
            if not riga.strip():
                continue
            evento = json.loads(riga)
            dichiarato = evento.pop("hash")
            if evento.get("seq") != atteso:
                print(f"seq {atteso}: evento mancante o fuori ordine (trovato {evento.get('seq')})")
                return 1
            canonico = json.dumps(evento, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            calcolato = hashlib.sha256(precedente + canonico).hexdigest()
            if calcolato != dichiarato:
                print(f"seq {atteso}: hash ricalcolato {calcolato} diverso da quello esportato {dichiarato}")
                return 1
            if digest == calcolato and trovato is None:
                trovato = atteso
            precedente = bytes.fromhex(calcolato)
            atteso += 1
    print(f"catena integra: {atteso - 1} eventi, hash di testa {precedente.hex()}")
    if digest is not None:
        if trovato is None:
            print(f"il digest {digest} non compare nella catena")
            return 1
        print(f"il digest {digest} corrisponde all'evento seq {trovato}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
