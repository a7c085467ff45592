"""What demo citizens report, per category, and what the agency did about it.

Each template is (title, description, outcome); the description takes ``{street}``,
``{place}`` and ``{area}``, the outcome goes into the Hue-S reply template
(``demo_texts.RESULT_TEMPLATE``). Written for the demo.
"""

from __future__ import annotations

# (title, description, what the agency did) per category code; the last goes into the
# Hue-S reply template.
TEMPLATES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "construction-order": (
        (
            "Xây dựng không phép",
            "Tại {street}, {area}, một hộ dân đang xây thêm tầng 3 nhưng "
            "không thấy treo biển cấp phép xây dựng. Đề nghị cơ quan chức năng kiểm tra.",
            "Qua kiểm tra, công trình chưa được cấp phép; đơn vị đã lập biên bản vi phạm hành "
            "chính và yêu cầu chủ hộ dừng thi công, hoàn thiện hồ sơ xin phép.",
        ),
        (
            "Vật liệu xây dựng tràn ra lòng đường",
            "Công trình nhà ở tại {street} đổ cát, đá "
            "tràn ra lòng đường nhiều ngày nay, xe máy đi qua rất dễ té ngã.",
            "Chủ công trình đã dọn dẹp vật liệu trên lòng đường và cam kết tập kết gọn trong "
            "khuôn viên; đơn vị đã nhắc nhở và xử phạt theo quy định.",
        ),
        (
            "Lấn chiếm hành lang để xây dựng",
            "Hộ dân gần {place} xây tường rào lấn ra vỉa hè khoảng 1 mét, gây cản trở người đi bộ.",
            "Đơn vị đã ban hành quyết định xử phạt và buộc tháo dỡ phần tường rào lấn chiếm; "
            "chủ hộ đã tự tháo dỡ.",
        ),
        (
            "Công trình thi công gây nguy hiểm",
            "Công trình ở {street} không che chắn, vật liệu "
            "rơi xuống đường, rất nguy hiểm cho người đi đường và học sinh.",
            "Đơn vị đã yêu cầu nhà thầu lắp lưới che chắn, bố trí người cảnh giới và tạm dừng "
            "thi công vào giờ học sinh tan trường.",
        ),
        (
            "Xây dựng trong vùng bảo vệ di tích",
            "Có nhà đang xây kiên cố gần {place}, thuộc "
            "vùng bảo vệ di tích. Đề nghị kiểm tra giấy phép.",
            "Đơn vị đã phối hợp với Trung tâm Bảo tồn Di tích Cố đô Huế kiểm tra; công trình "
            "xây dựng sai quy hoạch đã bị đình chỉ và buộc khôi phục hiện trạng.",
        ),
        (
            "Thi công ban đêm gây ồn",
            "Công trình tại {street} thi công đổ bê tông đến 1–2 giờ "
            "sáng, ảnh hưởng giấc ngủ của người dân trong khu vực {area}.",
            "Đơn vị đã làm việc với chủ đầu tư, yêu cầu không thi công gây ồn từ 22 giờ đến 6 "
            "giờ sáng và cam kết chấp hành.",
        ),
        (
            "Xây sai phép",
            "Công trình ở {street} được cấp phép 2 tầng nhưng đang xây lên 4 "
            "tầng, đề nghị kiểm tra.",
            "Đơn vị đã lập biên bản vi phạm, xử phạt hành chính và yêu cầu chủ đầu tư tháo dỡ "
            "phần xây dựng sai phép.",
        ),
    ),
    "sanitation": (
        (
            "Rác thải không được thu gom",
            "Rác tồn đọng nhiều ngày tại góc {street}, gần "
            "{place}, bốc mùi hôi thối, ruồi nhặng nhiều.",
            "Đơn vị đã bố trí xe thu gom toàn bộ rác tồn đọng và bổ sung lịch thu gom tại điểm "
            "này.",
        ),
        (
            "Đổ trộm phế thải xây dựng",
            "Có người đổ trộm xà bần, phế thải xây dựng ven "
            "{street} vào ban đêm, đề nghị xử lý và có biện pháp ngăn chặn.",
            "Đơn vị đã thu dọn phế thải, phối hợp với địa phương lắp biển cấm đổ rác và camera "
            "giám sát.",
        ),
        (
            "Nước thải chảy ra đường",
            "Nhà hàng ở {street} xả nước thải trực tiếp ra cống và lòng đường, mùi rất khó chịu.",
            "Đơn vị đã kiểm tra, yêu cầu cơ sở kinh doanh đấu nối nước thải vào hệ thống thu "
            "gom; cơ sở đã bị xử phạt theo quy định.",
        ),
        (
            "Xác động vật chết",
            "Có xác chó chết trôi dạt gần {place}, {area}, bốc mùi. Đề nghị thu gom sớm.",
            "Đơn vị đã thu gom, xử lý xác động vật và khử trùng khu vực.",
        ),
        (
            "Thùng rác bị hư hỏng",
            "Thùng rác công cộng trên {street} bị vỡ nắp, rác rơi vãi ra vỉa hè.",
            "Đơn vị đã thay thùng rác mới và vệ sinh khu vực.",
        ),
        (
            "Đốt rác gây khói",
            "Người dân gần {place} thường xuyên đốt rác và lá cây vào buổi "
            "chiều, khói bay vào nhà dân.",
            "Đơn vị đã phối hợp với tổ dân phố tuyên truyền, nhắc nhở các hộ không đốt rác và "
            "bố trí thu gom lá cây định kỳ.",
        ),
        (
            "Rác trên sông",
            "Rác thải, lục bình và chai nhựa tụ lại thành đám lớn dưới chân "
            "{place}, ảnh hưởng mỹ quan sông Hương.",
            "Đơn vị đã bố trí thuyền và công nhân vớt rác, lục bình trên đoạn sông này.",
        ),
    ),
    "traffic-infrastructure": (
        (
            "Ổ gà giữa đường",
            "Mặt đường {street} có ổ gà lớn, trời mưa đọng nước không nhìn "
            "thấy, đã có người té ngã.",
            "Đơn vị đã chỉ đạo đơn vị quản lý đường bộ vá ổ gà, hoàn trả mặt đường.",
        ),
        (
            "Nắp hố ga bị mất",
            "Nắp hố ga trên vỉa hè {street} gần {place} bị mất, rất nguy "
            "hiểm cho người đi bộ và trẻ em.",
            "Đơn vị đã lắp đặt nắp hố ga mới và kiểm tra các hố ga lân cận.",
        ),
        (
            "Đèn tín hiệu giao thông không hoạt động",
            "Đèn tín hiệu tại nút giao {street} không hoạt động từ sáng, giao thông lộn xộn.",
            "Đơn vị bảo trì đã khắc phục sự cố nguồn điện, đèn tín hiệu đã hoạt động bình thường.",
        ),
        (
            "Mặt đường sụt lún",
            "Đoạn đường {street} sau khi đào lắp đường ống bị sụt lún, xe cộ đi lại khó khăn.",
            "Đơn vị đã yêu cầu nhà thầu thi công đường ống hoàn trả mặt đường theo đúng quy "
            "định; mặt đường đã được thảm lại.",
        ),
        (
            "Biển báo bị che khuất",
            "Biển báo cấm đỗ xe ở {street} bị cây che khuất hoàn toàn, người đi đường không thấy.",
            "Đơn vị đã phối hợp cắt tỉa cành cây và dời vị trí biển báo để dễ quan sát.",
        ),
        (
            "Vỉa hè bị bong tróc",
            "Gạch lát vỉa hè {street} bong tróc nhiều đoạn, người già đi bộ dễ vấp ngã.",
            "Đơn vị đã lát lại các đoạn vỉa hè hư hỏng.",
        ),
        (
            "Lan can cầu bị hư hỏng",
            "Lan can cầu gần {place} bị va chạm, gãy một đoạn, rất nguy hiểm vào ban đêm.",
            "Đơn vị đã rào chắn, đặt biển cảnh báo và thay thế đoạn lan can bị gãy.",
        ),
    ),
    "urban-infrastructure": (
        (
            "Đèn đường không sáng",
            "Cả dãy đèn đường trên {street} không sáng đã 3 đêm, khu "
            "vực rất tối, tiềm ẩn nguy cơ mất an ninh.",
            "Đơn vị đã thay bóng và sửa chữa tủ điện chiếu sáng, hệ thống đã sáng bình thường.",
        ),
        (
            "Vỡ ống nước",
            "Ống nước bị vỡ tại {street}, nước chảy tràn ra đường từ sáng sớm, "
            "nhiều hộ dân bị mất nước.",
            "Đơn vị đã phối hợp với HUEWACO khắc phục điểm vỡ ống, cấp nước trở lại cho các "
            "hộ dân.",
        ),
        (
            "Ngập úng sau mưa",
            "Mỗi khi mưa lớn đoạn {street} gần {place} ngập sâu 30–40 cm, cống thoát nước bị tắc.",
            "Đơn vị đã nạo vét cống thoát nước, khơi thông dòng chảy tại khu vực.",
        ),
        (
            "Cây xanh có nguy cơ gãy đổ",
            "Cây xà cừ lớn trước {place} nghiêng hẳn ra đường, "
            "nhiều cành khô, mùa mưa bão rất nguy hiểm.",
            "Đơn vị đã cắt tỉa cành khô, chằng chống cây xanh để bảo đảm an toàn mùa mưa bão.",
        ),
        (
            "Cây gãy đổ chắn đường",
            "Sau cơn mưa đêm qua, một cây phượng gãy đổ chắn ngang {street}, xe không qua được.",
            "Đơn vị đã cưa dọn cây gãy đổ, thông tuyến đường trong buổi sáng.",
        ),
        (
            "Cống thoát nước bốc mùi",
            "Miệng cống trên {street} bị tắc và bốc mùi hôi, đề nghị nạo vét.",
            "Đơn vị đã nạo vét hố ga, lắp tấm chắn mùi tại miệng cống.",
        ),
        (
            "Dây điện chằng chịt, võng thấp",
            "Dây điện, dây cáp viễn thông trên {street} võng thấp, xe tải đi qua dễ vướng.",
            "Đơn vị đã phối hợp với các doanh nghiệp viễn thông bó gọn, nâng độ cao dây cáp và "
            "thu hồi dây không sử dụng.",
        ),
    ),
    "public-order": (
        (
            "Karaoke gây ồn ban đêm",
            "Quán karaoke tại {street} mở nhạc rất to đến quá 23 giờ "
            "hằng đêm, ảnh hưởng người dân trong {area}.",
            "Công an phường đã kiểm tra, lập biên bản và yêu cầu cơ sở karaoke chấp hành thời "
            "gian hoạt động theo quy định.",
        ),
        (
            "Lấn chiếm vỉa hè buôn bán",
            "Các hàng quán ở {street} gần {place} bày bàn ghế "
            "chiếm hết vỉa hè, người đi bộ phải xuống lòng đường.",
            "Lực lượng chức năng đã ra quân lập lại trật tự vỉa hè, nhắc nhở và xử phạt các hộ "
            "vi phạm.",
        ),
        (
            "Thanh niên tụ tập đua xe",
            "Nhóm thanh niên tụ tập, nẹt pô, đua xe trên {street} vào khoảng 0 giờ đến 2 giờ sáng.",
            "Đã tăng cường tuần tra vào ban đêm tại khu vực, tạm giữ phương tiện của các đối "
            "tượng đua xe.",
        ),
        (
            "Đỗ xe ô tô sai quy định",
            "Nhiều xe ô tô đỗ hai bên {street} trước {place}, gây ùn tắc giờ tan trường.",
            "Đơn vị đã bố trí lực lượng hướng dẫn giao thông vào giờ cao điểm và xử phạt các "
            "trường hợp đỗ xe sai quy định.",
        ),
        (
            "Gây rối trật tự",
            "Có nhóm người uống rượu, cãi nhau, gây rối tại khu vực {place} vào buổi tối.",
            "Công an phường đã có mặt, giải tán nhóm người gây rối và mời các đối tượng về trụ "
            "sở làm việc.",
        ),
        (
            "Trộm cắp tài sản",
            "Gần đây khu vực {street}, {area} xảy ra nhiều vụ trộm xe đạp, "
            "trộm đồ trước hiên nhà. Đề nghị tăng cường tuần tra.",
            "Đơn vị đã tăng cường tuần tra, vận động người dân lắp camera và khuyến cáo cất giữ "
            "tài sản cẩn thận.",
        ),
    ),
    "tourism": (
        (
            "Xích lô chặt chém du khách",
            "Tài xế xích lô gần {place} đòi du khách 500.000 đồng "
            "cho một cuốc xe ngắn, không thỏa thuận giá trước.",
            "Đã làm việc với tài xế, yêu cầu hoàn trả tiền chênh lệch cho du khách và nhắc nhở "
            "về văn minh du lịch.",
        ),
        (
            "Đeo bám, chèo kéo khách",
            "Người bán hàng rong đeo bám, chèo kéo du khách nước ngoài tại {place}, gây phản cảm.",
            "Đơn vị đã phối hợp với công an phường ra quân chấn chỉnh tình trạng đeo bám, chèo "
            "kéo du khách.",
        ),
        (
            "Nhà hàng không niêm yết giá",
            "Nhà hàng trên {street} không niêm yết giá, tính tiền "
            "đồ ăn cao gấp nhiều lần cho khách du lịch.",
            "Đoàn kiểm tra liên ngành đã làm việc với cơ sở, yêu cầu niêm yết giá công khai và "
            "xử phạt theo quy định.",
        ),
        (
            "Nhà vệ sinh công cộng xuống cấp",
            "Nhà vệ sinh công cộng tại {place} bẩn, hỏng vòi nước, không có người dọn dẹp.",
            "Đã yêu cầu đơn vị quản lý nhà vệ sinh khắc phục, bố trí nhân viên dọn dẹp thường "
            "xuyên.",
        ),
        (
            "Thuyền rồng không có áo phao",
            "Thuyền du lịch trên sông Hương ở bến gần {place} "
            "chở khách nhưng không trang bị đủ áo phao.",
            "Đã kiểm tra và đình chỉ hoạt động của thuyền không bảo đảm điều kiện an toàn cho "
            "đến khi trang bị đủ áo phao.",
        ),
        (
            "Khách sạn không đúng như quảng cáo",
            "Khách sạn trên {street} quảng cáo 3 sao nhưng phòng ẩm mốc, không có nước nóng.",
            "Đơn vị đã kiểm tra, yêu cầu cơ sở gỡ bỏ quảng cáo sai hạng sao và khắc phục cơ sở "
            "vật chất.",
        ),
    ),
    "administrative-conduct": (
        (
            "Chậm trả kết quả hồ sơ",
            "Tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất tại "
            "bộ phận một cửa {area} đã quá hạn 20 ngày nhưng chưa có kết quả, không được giải "
            "thích lý do.",
            "Đơn vị đã làm việc với bộ phận liên quan; hồ sơ của Ông/Bà đã được giải quyết, "
            "kèm văn bản xin lỗi vì trễ hạn.",
        ),
        (
            "Yêu cầu giấy tờ ngoài quy định",
            "Cán bộ tiếp nhận hồ sơ tại {area} yêu cầu nộp "
            "bản sao công chứng giấy khai sinh dù hồ sơ đã có dữ liệu trên hệ thống.",
            "Đã chấn chỉnh cán bộ liên quan, yêu cầu không đòi thêm giấy tờ ngoài quy định.",
        ),
        (
            "Thái độ tiếp dân chưa đúng mực",
            "Cán bộ bộ phận một cửa {area} có thái độ cáu "
            "gắt, không hướng dẫn tận tình khi người dân hỏi thủ tục.",
            "Đơn vị đã kiểm điểm cán bộ có thái độ chưa đúng mực và tăng cường giám sát bộ "
            "phận một cửa.",
        ),
        (
            "Hẹn đi hẹn lại nhiều lần",
            "Hồ sơ đăng ký hộ kinh doanh tại {area} bị hẹn lại 3 "
            "lần, mỗi lần yêu cầu bổ sung một loại giấy tờ khác nhau.",
            "Đơn vị đã yêu cầu hướng dẫn bổ sung hồ sơ một lần, đầy đủ; hồ sơ của Ông/Bà đã "
            "được cấp giấy chứng nhận.",
        ),
        (
            "Không tiếp nhận hồ sơ trực tuyến",
            "Tôi đã nộp hồ sơ trực tuyến trên Cổng dịch vụ "
            "công nhưng {area} yêu cầu đến nộp lại bản giấy.",
            "Đơn vị đã chấn chỉnh việc tiếp nhận hồ sơ trực tuyến; hồ sơ của Ông/Bà được xử lý "
            "trên hệ thống, không cần nộp bản giấy.",
        ),
        (
            "Cán bộ vắng mặt giờ hành chính",
            "Sáng nay đến bộ phận một cửa {area} lúc 9 giờ "
            "nhưng không có cán bộ trực để tiếp nhận hồ sơ.",
            "Đơn vị đã xác minh, nhắc nhở cán bộ vắng mặt và bố trí lịch trực thay thế.",
        ),
    ),
    "other": (
        (
            "Đề nghị lắp thêm ghế đá",
            "Khu vực {place} có nhiều người già đi bộ buổi chiều, "
            "đề nghị lắp thêm ghế đá và đèn chiếu sáng.",
            "Kiến nghị đã được chuyển đến đơn vị quản lý công viên và đưa vào kế hoạch năm tới.",
        ),
        (
            "Chó thả rông",
            "Nhiều hộ dân ở {street} thả rông chó không rọ mõm, đã có trẻ em bị chó cắn.",
            "Đã phối hợp với địa phương tuyên truyền, nhắc nhở các hộ nuôi chó và xử phạt các "
            "trường hợp thả rông.",
        ),
        (
            "Quảng cáo rao vặt dán tràn lan",
            "Tờ rơi khoan cắt bê tông, cho vay tiền dán kín cột điện và tường nhà trên {street}.",
            "Đã tổ chức bóc dỡ quảng cáo rao vặt và đề nghị nhà mạng khóa các số điện thoại vi "
            "phạm.",
        ),
        (
            "Đề nghị làm gờ giảm tốc",
            "Đoạn {street} gần {place} xe chạy rất nhanh, nhiều học "
            "sinh qua đường, đề nghị làm gờ giảm tốc.",
            "Đơn vị đã khảo sát hiện trường, lắp biển báo khu vực trường học và vạch sơn giảm tốc.",
        ),
        (
            "Sóng điện thoại yếu",
            "Khu vực {area} sóng di động rất yếu, không gọi được cấp cứu khi cần.",
            "Đã đề nghị các nhà mạng khảo sát; trạm phát sóng bổ sung đã được lắp đặt.",
        ),
        (
            "Trạm xe buýt thiếu mái che",
            "Trạm xe buýt trên {street} không có mái che, người chờ xe phải đứng nắng mưa.",
            "Kiến nghị đã được chuyển đến đơn vị quản lý vận tải công cộng; nhà chờ sẽ được lắp "
            "đặt trong quý tới.",
        ),
    ),
}
