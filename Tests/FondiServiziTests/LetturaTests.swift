import Fondi
import FondiServizi
import Testing

/// Every number from outside is read with a stated range (issue 19): no value makes a caller overflow, and a
/// refusal names the field and the value.
@Suite struct LetturaTests {
    @Test(arguments: ["1", "50", "1000000"])
    func paginaNelIntervallo(_ testo: String) throws {
        #expect(try Lettura.intero(testo, campo: "pagina", tra: 1...1_000_000, atteso: "un numero di pagina") == Int64(testo)!)
    }

    @Test(arguments: ["0", "-1", "1000001", "999999999999999999", "9223372036854775807", "9223372036854775808",
                      "99999999999999999999999", "", " 1", "+1", "1.0", "1e3", "0x10", "١", "１", "1\u{0}", String(repeating: "9", count: 5000)])
    func paginaFuoriIntervalloRifiutata(_ testo: String) {
        #expect(throws: ErroreValore.self) { try Lettura.intero(testo, campo: "pagina", tra: 1...1_000_000, atteso: "un numero di pagina") }
    }

    @Test func ilMessaggioNominaCampoValoreEIntervallo() {
        do {
            _ = try Lettura.intero("999999999999999999", campo: "pagina", tra: 1...1_000_000, atteso: "un numero di pagina")
            Issue.record("accettato")
        } catch {
            let m = "\(error)"
            #expect(m.contains("pagina") && m.contains("999999999999999999") && m.contains("da 1 a 1000000"), "\(m)")
        }
    }

    /// A long value is cut in the message, so a 5,000-character parameter does not come back 5,000 characters long.
    @Test func ilMessaggioNonRiportaUnValoreEnorme() {
        do {
            _ = try Lettura.seq(String(repeating: "7", count: 5000), campo: "fino_a")
            Issue.record("accettato")
        } catch {
            #expect("\(error)".count < 200)
        }
    }

    /// The largest seq leaves room for any bounded count added to it (`da + limite - 1` in `GET eventi`).
    @Test func seqMassimoLasciaSpazio() throws {
        let massimo = try Lettura.seq(String(Lettura.seqMax), campo: "da")
        #expect(massimo.addingReportingOverflow(100_000).overflow == false)
        #expect(throws: ErroreValore.self) { try Lettura.seq(String(Lettura.seqMax + 1), campo: "da") }
    }

    @Test(arguments: ["1899", "3000", "20233", "-2023", "２０２３", "0000"])
    func anniFuoriIntervalloRifiutati(_ testo: String) {
        #expect(throws: ErroreValore.self) { try Lettura.anno(testo, campo: "esercizio") }
    }
}
