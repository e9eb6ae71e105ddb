// Goal: DOMAIN §10 through `fondi serve`: scadenze and rendiconta are the responsabile's (403 for the others,
// nothing written), the forms write them, the pages and the API answer what the CLI answers, the cruscotto
// lists a scadenza at risk with a link, hostile codes come back escaped.
import Fondi
import FondiServizi
import FondiStore
import FondiTesting
import FondiWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct ScadenzeWebTests {
    static let scadenza: [(String, String)] = [
        ("numero", "S1"), ("fonte", "FNA-2023"), ("tipo", "impegno"), ("soglia", "90"), ("base", ""), ("termine", "2023-07-15"),
        ("data", "2023-05-02"), ("atto", "Decreto regionale"),
    ]

    @Test func ruoliModuliPagineEApi() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let resp = try #require(try await accedi(client, "resp").1)
            let oper = try #require(try await accedi(client, "oper").1)
            let cons = try #require(try await accedi(client, "cons").1)
            let prima = try b.testa()
            #expect(try await invia(client, oper, "/comandi/scadenza-fissa", Self.scadenza).status == .forbidden)
            #expect(try await invia(client, cons, "/comandi/rendiconta", [("numero", "R1"), ("destinatario", "REVISORI"), ("al", "2023-05-31"),
                                                                           ("atto", "A")]).status == .forbidden)
            #expect(try b.testa() == prima)

            // The responsabile fixes it from the form (an empty base is no base: assegnato).
            let fissata = try await invia(client, resp, "/comandi/scadenza-fissa", Self.scadenza)
            #expect(fissata.status == .seeOther, "\(String(buffer: fissata.body))")
            // rendiconta with prova writes nothing; without, it records the figures of the cut-off.
            let rendiconto: [(String, String)] = [("numero", "R1"), ("destinatario", "REVISORI"), ("al", "2023-05-31"), ("data", "2023-06-01"),
                                                  ("atto", "Invio")]
            let dopoScadenza = try b.testa()
            let prova = try await invia(client, resp, "/comandi/rendiconta", rendiconto + [("prova", "true")])
            let dopoProva = try b.testa()
            #expect(prova.status == .ok && String(buffer: prova.body).contains("nulla è stato scritto") && dopoProva == dopoScadenza)
            #expect(try await invia(client, resp, "/comandi/rendiconta", rendiconto).status == .seeOther)

            // The page and the API give what the use case gives; S1 is at risk on 2023-06-01 (44 days left).
            let pagina = try await client.execute(uri: "/scadenze", method: .get, headers: [.cookie: cons.cookie])
            let html = String(buffer: pagina.body)
            #expect(pagina.status == .ok && html.contains("a rischio") && html.contains("40.000,00") && html.contains("class=\"evidenza\""))
            let cruscotto = String(buffer: try await client.execute(uri: "/", method: .get, headers: [.cookie: cons.cookie]).body)
            #expect(cruscotto.contains("href=\"/scadenze?fonte=FNA-2023\"") && cruscotto.contains("scadenza S1 della fonte FNA-2023 a rischio"))
            let bearer = try Self.token(b, "cons")
            let api = try await client.execute(uri: "/api/v1/scadenze?stato=a%20rischio", method: .get, headers: bearer)
            let righe = try ValoreJSON.leggi(String(buffer: api.body))["righe"]
            let attesa = try ValoreJSON.leggi("""
                {"atto":"Decreto regionale","base":"assegnato","fonte":"FNA-2023","giorni":44,"mancante":4000000,"numero":"S1","obiettivo":9000000,\
                "prorogata":false,"raggiunto":5000000,"soglia":90,"stato":"a rischio","termine":"2023-07-15","tipo":"impegno"}
                """)
            #expect(api.status == .ok && righe == .lista([attesa]))
            let mostra = try await client.execute(uri: "/api/v1/rendicontazione?numero=R1", method: .get, headers: bearer)
            #expect(mostra.status == .ok && String(buffer: mostra.body).contains("\"impegnato\":5000000"))
            for uri in ["/rendicontazioni", "/rendicontazione?numero=R1", "/rendicontazione/confronto?numero=R1", "/rendicontazione?numero=R1&formato=xlsx",
                        "/scadenze?formato=csv"] {
                #expect(try await client.execute(uri: uri, method: .get, headers: [.cookie: cons.cookie]).status == .ok, "\(uri)")
            }
            // A hostile code is refused and echoed escaped.
            let ostile = try await client.execute(uri: "/rendicontazione?numero=%3Cscript%3E", method: .get, headers: [.cookie: cons.cookie])
            #expect(ostile.status == .unprocessableContent && !String(buffer: ostile.body).contains("<script>"))
        }
    }

    static func token(_ b: BancoWeb, _ nome: String) throws -> HTTPFields {
        let r = try Registro.apri(percorso: b.percorso)
        return [.authorization: "Bearer " + (try r.nuovoToken(nome: cod(nome), da: "test"))]
    }
}
