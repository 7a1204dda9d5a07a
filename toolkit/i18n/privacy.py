"""Words for the privacy screen (kinds of personal data found)."""
MESSAGES = {
    "privacy.kind.id_number": ("身份证号", "ID number"),
    "privacy.kind.bank_card": ("银行卡号", "bank card number"),
    "privacy.kind.phone": ("电话号码", "phone number"),
    "privacy.kind.name": ("档案中的姓名", "a name from the roster"),
    "privacy.kind.address": ("住址", "address"),
}
