// Goal (issue 22): no password in any output. Every command given a PostgreSQL address with a password that
// cannot be used (a bad address, a closed port, a TLS file that does not exist) fails in Italian, with a
// non-zero exit, and neither its output nor its error holds the password.
import Foundation
import Testing

struct SegretiCLITests {
    @Test func nessunaPasswordInUscita() throws {
        let b = try Binario()
        defer { b.pulisci() }
        #expect(try b.esegui(["init"]).codice == 0)
        let segreta = "Segr3ta-\(UInt32.random(in: 100_000...999_999))"
        let porta = Int.random(in: 20_000...29_999)
        let indirizzi = ["postgres://fondi:\(segreta)@127.0.0.1:\(porta)/fondi?ambito=A&sslmode=disable",
                         "postgres://fondi:\(segreta)@127.0.0.1:\(porta)/fondi?ambito=A&sslmode=verify-full&sslrootcert=/non/esiste.crt",
                         "postgres://fondi:\(segreta)@127.0.0.1:99999/fondi?ambito=A", "postgres://fondi:\(segreta)@127.0.0.1/fondi",
                         "postgres://fondi:\(segreta)@127.0.0.1/fondi?ambito=A&sslmode=sempre"]
        for db in indirizzi {
            for argomenti in [["init"], ["saldi", "--per", "fonte"], ["verifica"], ["serve", "--porta", "0"], ["utente", "elenca"],
                              ["copia", "--da", b.db, "--a", db]] {
                let r = try b.esegui(argomenti.first == "copia" ? argomenti : ["--db", db] + argomenti, conDb: false)
                #expect(r.codice != 0, "\(argomenti) \(IndirizzoSenzaSegreto.nascondi(db, segreta))")
                #expect(!r.uscita.contains(segreta) && !r.errore.contains(segreta), "\(argomenti): \(r.errore.replacingOccurrences(of: segreta, with: "<SEGRETA>"))")
                #expect(r.errore.hasPrefix("errore: "), "\(argomenti): \(r.errore.replacingOccurrences(of: segreta, with: "<SEGRETA>"))")
            }
        }
    }
}

enum IndirizzoSenzaSegreto {
    static func nascondi(_ t: String, _ segreta: String) -> String { t.replacingOccurrences(of: segreta, with: "***") }
}
