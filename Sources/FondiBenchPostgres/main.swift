// The raw ceiling for Scripts/bench --postgres (issue 12): the event rows of a ledger (read from a SQLite file,
// hashes as stored) COPY'd into a plain table of the same columns on the same server, in one transaction, no
// head, no triggers, no projections; the table is dropped afterwards. What `fondi importa` and `fondi copia`
// on PostgreSQL are compared with.
// Usage: FondiBenchPostgres LEDGER.sqlite OWNER_URL   (OWNER_URL with ?ambito= of an existing ledger)
import Fondi
import FondiPostgres
import FondiStore
import Foundation
import NIOCore

let argomenti = CommandLine.arguments
guard argomenti.count == 3 else {
    FileHandle.standardError.write("uso: FondiBenchPostgres REGISTRO.sqlite URL_PROPRIETARIO?ambito=CODICE\n".data(using: .utf8)!)
    exit(2)
}
let sqlite = try Registro.apri(percorso: argomenti[1], modo: .lettura)
var righe = ByteBuffer()
var n = 0
try sqlite.leggiEventi { e in
    n += 1
    let campi: [String?] = [String(e.seq), e.evento.tipo, String(e.versione), e.data.description, e.registratoIl, e.utente, e.chiave, e.atto,
                            String(decoding: e.evento.payloadCanonico, as: UTF8.self), "\\x" + Catena.esadecimale(e.hashByte)]
    ConnessionePostgres.rigaCopy(&righe, campi)
}
let indirizzo = try IndirizzoPostgres(argomenti[2])
let c = try ConnessionePostgres(indirizzo)
try c.esegui("DROP TABLE IF EXISTS grezzo")
try c.esegui("CREATE TABLE grezzo (LIKE evento INCLUDING ALL)")
let inizio = ContinuousClock.now
try c.copia(tabella: "grezzo", colonne: ConnessionePostgres.colonneEvento, righe: righe)
let d = ContinuousClock.now - inizio
let secondi = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
try c.esegui("DROP TABLE grezzo")
print(String(format: "fase=postgres-copy-grezza righe=%d secondi=%.3f righe_al_s=%.0f", n, secondi, Double(n) / secondi))
