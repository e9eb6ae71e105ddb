// Issue 22, ADR 0025: TLS to a Region's PostgreSQL with libpq's sslmode words, and no password in any message.
// Scripts/postgres-temporaneo starts the throwaway cluster with TLS on: FONDI_PG_TLS is the folder of its
// authority (ca.crt, which signs the server's certificate for the name localhost only) and of an authority that
// signs nothing (altra-ca.crt).
import Fondi
@testable import FondiPostgres
@testable import FondiStore
import Foundation
import Testing

/// What a user would read of a failure.
func messaggio(_ e: any Error) -> String {
    (e as? ErroreArchivio).map { $0.messaggio + " " + $0.dettaglio } ?? (e as? ErrorePostgres)?.messaggio ?? "\(e)"
}

struct IndirizzoSenzaSegretiTests {
    @Test func sslmodeEDefault() throws {
        let base = "postgres://u@h/d?ambito=A"
        #expect(try IndirizzoPostgres(base, ambiente: [:]).ssl == .prefer)
        #expect(try IndirizzoPostgres(base, ambiente: ["PGSSLMODE": "verify-full", "PGSSLROOTCERT": "/x/ca.crt"]).ssl == .verificaCompleta)
        #expect(try IndirizzoPostgres(base, ambiente: ["PGSSLROOTCERT": "/x/ca.crt"]).radiceSSL == "/x/ca.crt")
        let i = try IndirizzoPostgres(base + "&sslmode=verify-ca&sslrootcert=%2Fetc%2Fca.pem", ambiente: ["PGSSLMODE": "disable"])
        #expect(i.ssl == .verificaCA && i.radiceSSL == "/etc/ca.pem", "the address wins over the environment")
        for modo in IndirizzoPostgres.ModoSSL.allCases {
            #expect(try IndirizzoPostgres(base + "&sslmode=" + modo.rawValue, ambiente: [:]).ssl == modo)
        }
    }

    @Test func nessunaPasswordNeiMessaggi() throws {
        let segreta = "Segreta-9f3k"
        for sbagliato in ["postgres://u:\(segreta)@h/d", "postgres://u:\(segreta)@h:99999/d?ambito=A", "postgres://u:\(segreta)@h/d?ambito=A&sslmode=sempre",
                          "postgres://u:\(segreta)@/d?ambito=A", "postgres://u:\(segreta)@h/d?ambito=A&applicazione=X-Y"] {
            do {
                _ = try IndirizzoPostgres(sbagliato, ambiente: [:])
                Issue.record("accettato: \(IndirizzoPostgres.senzaPassword(sbagliato))")
            } catch {
                #expect(!error.messaggio.contains(segreta) && error.messaggio.contains("u:***@"), "\(error.messaggio)")
            }
        }
        #expect(IndirizzoPostgres.senzaPassword("postgres://u:p@ss:w@rd@h:5/d?ambito=A") == "postgres://u:***@h:5/d?ambito=A")
        #expect(IndirizzoPostgres.senzaPassword("postgres://u@h/d") == "postgres://u@h/d")
        // A connection that fails (nothing listens on the port): the message names the server, never the password.
        let porta = 1 + Int.random(in: 20_000...29_999)
        do {
            _ = try ConnessionePostgres(try IndirizzoPostgres("postgres://u:\(segreta)@127.0.0.1:\(porta)/d?ambito=A", ambiente: [:]))
            Issue.record("connessione aperta su una porta chiusa?")
        } catch {
            #expect(!messaggio(error).contains(segreta) && !"\(error)".contains(segreta), "\(messaggio(error))")
        }
    }
}

@Suite(.enabled(if: ServerPostgres.disponibile && ProcessInfo.processInfo.environment["FONDI_PG_TLS"] != nil,
                "PostgreSQL con TLS non disponibile: Scripts/test imposta FONDI_PG_TLS"))
struct TLSPostgresTests {
    static let cartella = ProcessInfo.processInfo.environment["FONDI_PG_TLS"] ?? ""

    /// Whether this connection is encrypted, as the server sees it.
    static func cifrata(_ indirizzo: String) throws -> Bool {
        let c = try ConnessionePostgres(try IndirizzoPostgres(indirizzo, ambiente: [:]))
        return try c.istruzione("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()").righe { $0.testo(0) }.first == "true"
    }

    @Test func verifyFullConLAutoritaGiusta() throws {
        let app = ServerPostgres.app! + "?ambito=TLS"
        #expect(try Self.cifrata(app + "&sslmode=verify-full&sslrootcert=\(Self.cartella)/ca.crt"))
        #expect(try Self.cifrata(app + "&sslmode=verify-ca&sslrootcert=\(Self.cartella)/ca.crt"))
        #expect(try Self.cifrata(app + "&sslmode=require"))
        #expect(try Self.cifrata(app + "&sslmode=prefer"))
        #expect(try !Self.cifrata(app + "&sslmode=disable"), "disable: in clear, as asked")
    }

    @Test func unNomeSbagliatoORunAutoritaIgnotaSonoRifiutati() throws {
        let app = ServerPostgres.app! + "?ambito=TLS"
        // The certificate is made out to `localhost`: 127.0.0.1 reaches the same server under another name.
        let altroNome = app.replacingOccurrences(of: "@localhost:", with: "@127.0.0.1:") + "&sslmode=verify-full&sslrootcert=\(Self.cartella)/ca.crt"
        #expect(altroNome.contains("@127.0.0.1:"))
        do { _ = try Self.cifrata(altroNome); Issue.record("verify-full ha accettato un nome che il certificato non porta") } catch {
            #expect(messaggio(error).contains("non è intestato a '127.0.0.1'"), "\(messaggio(error))")
        }
        for modo in ["verify-full", "verify-ca", "require"] {
            do {
                _ = try Self.cifrata(app + "&sslmode=\(modo)&sslrootcert=\(Self.cartella)/altra-ca.crt")
                Issue.record("\(modo) ha accettato un certificato di un'autorità non attendibile")
            } catch {
                #expect(messaggio(error).contains("non è firmato da un'autorità attendibile"), "\(modo): \(messaggio(error))")
            }
        }
        do { _ = try Self.cifrata(app + "&sslmode=verify-full&sslrootcert=/non/esiste.crt"); Issue.record("radice assente accettata") } catch {
            #expect(messaggio(error).contains("sslrootcert '/non/esiste.crt' non leggibile"), "\(messaggio(error))")
        }
    }
}
