// Goal: amounts are parsed exactly as DOMAIN §7 says, refused otherwise, and formatted the Italian way.
import Fondi
import FondiTesting
import Testing

struct ImportoTests {
    @Test(arguments: [
        ("1.234,56", 123_456), ("1234,56", 123_456), ("1234.56", 123_456), ("1234", 123_400), ("0,01", 1),
        ("1,5", 150), ("12.345.678,9", 1_234_567_890), ("1.5", 150), ("999", 99_900), ("0.01", 1),
        ("100.000.000.000,00", 10_000_000_000_000), ("007", 700),
    ] as [(String, Int64)])
    func letturaAccettata(testo: String, centesimi: Int64) throws {
        #expect(try Importo(testo: testo).centesimi == centesimi)
    }

    @Test(arguments: ["1.234", "1.234.567", "12.345"])
    func ambiguoRifiutato(testo: String) {
        #expect(throws: ImportoTestoErrore.ambiguo(testo)) { try Importo(testo: testo) }
    }

    @Test(arguments: ["-5", "+5", "abc", "1e5", "12,", ",5", "1,234", "12,345", "1 234", " 12", "1.23.4", "12.34,5.6",
                      "1,2,3", "1..2", ".5", "5.", "1.2345,00", "12.34,56", "€5", "1_000", "١٢"])
    func formatoRifiutato(testo: String) {
        #expect(throws: ImportoTestoErrore.formatoNonValido(testo)) { try Importo(testo: testo) }
    }

    @Test(arguments: ["0", "0,00", "0.00", "000"])
    func zeroRifiutato(testo: String) {
        #expect(throws: ImportoTestoErrore.nonPositivo(testo)) { try Importo(testo: testo) }
    }

    @Test(arguments: ["100.000.000.000,01", "100000000001", "99999999999999999999999", "9223372036854775807"])
    func oltreLimiteRifiutato(testo: String) {
        #expect(throws: ImportoTestoErrore.oltreLimite(testo)) { try Importo(testo: testo) }
    }

    @Test func vuotoRifiutato() {
        #expect(throws: ImportoTestoErrore.vuoto) { try Importo(testo: "") }
    }

    @Test func messaggioAmbiguoSpiegaComeCorreggere() {
        #expect(ImportoTestoErrore.ambiguo("1.234").description
            == "importo '1.234' ambiguo: scrivi 1.234,00 per indicare euro interi, oppure usa la virgola per i decimali")
    }

    @Test(arguments: [(0, "0,00"), (1, "0,01"), (123_456, "1.234,56"), (100_000_000, "1.000.000,00"), (-150, "-1,50"),
                      (10_000_000_000_000, "100.000.000.000,00")] as [(Int64, String)])
    func formatoItaliano(centesimi: Int64, testo: String) {
        #expect(Importo.formatoItaliano(centesimi) == testo)
    }

    @Test(arguments: [(0, "0.00"), (5, "0.05"), (123_456, "1234.56"), (-150, "-1.50")] as [(Int64, String)])
    func formatoCSV(centesimi: Int64, testo: String) {
        #expect(Importo.formatoPunto(centesimi) == testo)
    }

    @Test func formatoELetturaSonoInversi() throws {
        for c: Int64 in [1, 9, 10, 99, 100, 101, 123_456_789, 999_999_999_999, 10_000_000_000_000] {
            #expect(try Importo(testo: Importo.formatoItaliano(c)).centesimi == c)
            #expect(try Importo(testo: Importo.formatoPunto(c)).centesimi == c)
        }
    }
}

struct DataContabileTests {
    @Test(arguments: ["2023-02-01", "2024-02-29", "2000-02-29", "1999-12-31"])
    func dateValide(testo: String) {
        #expect(DataContabile(testo: testo)?.description == testo)
    }

    @Test(arguments: ["2023-02-29", "1900-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "23-02-01", "2023/02/01",
                      "2023-2-1", "", "2023-02-01T00:00", "01/02/2023", "２０２３-02-01"])
    func dateRifiutate(testo: String) {
        #expect(DataContabile(testo: testo) == nil)
    }

    @Test func ordinamentoEItaliano() {
        #expect(DataContabile("2023-12-31") < DataContabile("2024-01-01"))
        #expect(DataContabile("2023-02-01").italiano == "01/02/2023")
        #expect(DataContabile.fineEsercizio(2023) == DataContabile("2023-12-31"))
    }
}
