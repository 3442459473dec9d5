import { DO_NOT_CONTACT, FULL_NAME_KANA } from './cell-converters.js';

/**
 * CSV headers recognised for the built-in fields, as event lists, Excel sheets and CRM
 * exports (Salesforce, HubSpot, Sansan, Japanese web forms) write them. Matching goes
 * through `headerKey`, so case, spaces, `-`, `_`, `.`, brackets and full width do not
 * matter: `E-mail`, `e_mail` and `ＥＭＡＩＬ` are all `Email`; `姓（カナ）` is `姓カナ`.
 * A field's own name (`first_name`) always matches too.
 */
export const BUILTIN_HEADER_ALIASES: Readonly<Record<string, readonly string[]>> = {
  email: ['Email', 'E-mail', 'Email Address', 'E-mail Address', 'Mail', 'Mail Address', 'メール', 'メールアドレス', 'Eメール', 'Eメールアドレス', 'E-mailアドレス', 'mail'],
  first_name: ['First Name', 'Given Name', 'Firstname', '名', '名前(名)', '下の名前'],
  last_name: ['Last Name', 'Surname', 'Family Name', 'Lastname', '姓', '名字', '苗字', '名前(姓)'],
  full_name: ['Name', 'Full Name', 'Contact Name', '氏名', '名前', 'お名前', 'ご氏名', '担当者名', 'ご担当者名'],
  first_name_kana: ['メイ', '名(カナ)', '名(フリガナ)', '名(ふりがな)', 'めい', 'First Name Kana', 'フリガナ(名)'],
  last_name_kana: ['セイ', '姓(カナ)', '姓(フリガナ)', '姓(ふりがな)', 'せい', 'Last Name Kana', 'フリガナ(姓)'],
  [FULL_NAME_KANA]: ['フリガナ', 'ふりがな', 'カナ', '氏名(カナ)', '氏名(フリガナ)', '氏名(ふりがな)', 'お名前(フリガナ)', 'お名前(カナ)', '名前(カナ)', 'Kana', 'Furigana', 'Name Kana'],
  company: ['Company', 'Company Name', 'Organization', 'Organisation', 'Account', 'Account Name', 'Company / Account', '会社名', '企業名', '法人名', '社名', '会社', '貴社名', '御社名', '所属企業'],
  department: ['Department', 'Dept', 'Division', '部署', '部署名', '所属', '部門', '所属部署'],
  title: ['Title', 'Job Title', 'Position', '役職', '役職名', '肩書', '肩書き'],
  phone: ['Phone', 'Phone Number', 'Tel', 'Telephone', 'Mobile', 'Mobile Phone', 'Mobile Number', '電話番号', '電話', 'TEL', 'Tel番号', '携帯電話', '携帯', '携帯番号', '携帯電話番号'],
  timezone: ['Time Zone', 'Timezone', 'TZ', 'タイムゾーン'],
  language: ['Language', 'Lang', 'Preferred Language', '言語'],
  owner: ['Owner', 'Lead Owner', 'Contact Owner', '担当', '担当者', '営業担当', '営業担当者'],
  status: ['Status', 'Lead Status', 'ステータス'],
  stage: ['Stage', 'Lifecycle Stage', 'ステージ', 'フェーズ'],
  source: ['Source', 'Lead Source', '流入元', 'リードソース', '流入経路', '獲得経路'],
  campaign: ['Campaign', 'Campaign Name', 'キャンペーン', 'キャンペーン名'],
  linkedin_url: ['LinkedIn', 'LinkedIn URL', 'LinkedIn Profile', 'LinkedIn Profile URL'],
  website: ['Website', 'Web Site', 'URL', 'Company Website', 'Webサイト', 'ウェブサイト', 'ホームページ', 'HP'],
  country: ['Country', 'Country Code', '国', '国名'],
  [DO_NOT_CONTACT]: ['Do Not Contact', 'DNC', 'Email Opt Out', 'Opt Out', 'Unsubscribed', '配信停止', '連絡不可', '配信不可', 'メール配信停止', '配信拒否'],
};
